package zeroshot.server.model.image;

/**
 * Pillow 9.4's {@code Image.resize(size, filter)} on 8-bit RGB or RGBA pixels: what torchvision's
 * {@code Resize} calls for a PIL image.
 *
 * <p>Three rules from {@code Image.py} and {@code _imaging.c} shape the result: an unchanged size
 * is a plain copy; {@link Interpolation#NEAREST} is an affine scale with no alpha handling; other
 * filters resize RGBA in premultiplied "RGBa" mode and convert back, so that transparent pixels do
 * not bleed their hidden colour into visible neighbours.
 */
final class PillowResize {
  private PillowResize() {}

  /**
   * Resizes {@code width} × {@code height} interleaved pixels with 3 or 4 channels to {@code
   * outWidth} × {@code outHeight} and returns the part of the result in {@code window}: the same
   * bytes as cutting the window out of the whole resized image.
   */
  static byte[] resize(
      byte[] in,
      int width,
      int height,
      int channels,
      int outWidth,
      int outHeight,
      Interpolation filter,
      Window window) {
    if (window.right() > outWidth || window.bottom() > outHeight) {
      throw new IllegalArgumentException(
          String.format("window: %s (expected: inside %dx%d)", window, outWidth, outHeight));
    }
    if (outWidth == width && outHeight == height) {
      return window.cut(in, width, channels);
    }
    if (filter == Interpolation.NEAREST) {
      return window.cut(
          nearest(in, width, height, channels, outWidth, outHeight), outWidth, channels);
    }
    if (channels == 4) {
      byte[] premultiplied = premultiply(in);
      byte[] out =
          PillowResampler.resample(
              premultiplied, width, height, 4, outWidth, outHeight, filter, window);
      unpremultiplyInPlace(out);
      return out;
    }
    return PillowResampler.resample(
        in, width, height, channels, outWidth, outHeight, filter, window);
  }

  /**
   * {@code ImagingScaleAffine}: source positions are accumulated in double steps of in/out starting
   * at half a step, as Pillow does, so rounding at pixel boundaries matches.
   */
  private static byte[] nearest(
      byte[] in, int width, int height, int channels, int outWidth, int outHeight) {
    int[] sourceX = positions(width, outWidth);
    int[] sourceY = positions(height, outHeight);
    byte[] out = new byte[outWidth * outHeight * channels];
    for (int y = 0; y < outHeight; y++) {
      for (int x = 0; x < outWidth; x++) {
        // Pillow leaves positions outside the source black (fill = 1); never hit for full boxes.
        if (sourceX[x] < 0 || sourceY[y] < 0) {
          continue;
        }
        System.arraycopy(
            in,
            (sourceY[y] * width + sourceX[x]) * channels,
            out,
            (y * outWidth + x) * channels,
            channels);
      }
    }
    return out;
  }

  private static int[] positions(int inSize, int outSize) {
    double step = (double) inSize / outSize;
    double position = step * 0.5;
    int[] result = new int[outSize];
    for (int i = 0; i < outSize; i++) {
      int p = position < 0.0 ? -1 : (int) position;
      result[i] = p < inSize ? p : -1;
      position += step;
    }
    return result;
  }

  /** {@code rgbA2rgba} in {@code Convert.c}: c * a / 255 with Pillow's rounding shortcut. */
  private static byte[] premultiply(byte[] rgba) {
    byte[] out = new byte[rgba.length];
    for (int i = 0; i < rgba.length; i += 4) {
      int alpha = rgba[i + 3] & 0xFF;
      for (int c = 0; c < 3; c++) {
        int tmp = (rgba[i + c] & 0xFF) * alpha + 128;
        out[i + c] = (byte) (((tmp >> 8) + tmp) >> 8);
      }
      out[i + 3] = rgba[i + 3];
    }
    return out;
  }

  /** {@code rgba2rgbA} in {@code Convert.c}: truncating 255 * c / a, clipped to 255. */
  private static void unpremultiplyInPlace(byte[] rgba) {
    for (int i = 0; i < rgba.length; i += 4) {
      int alpha = rgba[i + 3] & 0xFF;
      if (alpha == 0 || alpha == 255) {
        continue;
      }
      for (int c = 0; c < 3; c++) {
        rgba[i + c] = (byte) Math.min(255 * (rgba[i + c] & 0xFF) / alpha, 255);
      }
    }
  }
}
