package zeroshot.server.model.image;

/**
 * A rectangle of a resized image, in its pixel coordinates: columns {@code left} (inclusive) to
 * {@code right} (exclusive), rows {@code top} to {@code bottom}; never empty.
 */
record Window(int left, int top, int right, int bottom) {
  Window {
    if (left < 0 || top < 0 || right <= left || bottom <= top) {
      throw new IllegalArgumentException(
          String.format(
              "window: columns %d..%d, rows %d..%d (expected: 0 <= left < right, 0 <= top < bottom)",
              left, right, top, bottom));
    }
  }

  /** The whole of a {@code width} × {@code height} image. */
  static Window all(int width, int height) {
    return new Window(0, 0, width, height);
  }

  int width() {
    return right - left;
  }

  int height() {
    return bottom - top;
  }

  /** This window's pixels out of a whole {@code imageWidth}-wide image. */
  byte[] cut(byte[] image, int imageWidth, int channels) {
    int length = width() * channels;
    byte[] out = new byte[height() * length];
    for (int y = top; y < bottom; y++) {
      System.arraycopy(image, (y * imageWidth + left) * channels, out, (y - top) * length, length);
    }
    return out;
  }
}
