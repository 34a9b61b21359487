package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

/**
 * An immutable 8-bit sRGB image, RGB or RGBA (straight, not premultiplied alpha), stored as one
 * interleaved row-major byte array.
 *
 * <p>This is the decoder's output after colour conversion and EXIF orientation, and the only input
 * {@link ImagePreprocessor} needs. One byte per channel keeps a 40-megapixel image at 160 MB at
 * most, a quarter of an {@code int}-per-channel layout.
 *
 * <p>A fast-mode JPEG is decoded at 1/2, 1/4 or 1/8 of its stored size; it also carries that full
 * size, so that the resize targets the same output size as an exact decode would.
 */
public final class DecodedImage {
  private final int width;
  private final int height;
  private final int channels;
  private final byte[] pixels;
  private final int fullWidth;
  private final int fullHeight;

  /** Takes ownership of {@code pixels}: callers in this package never write to it afterwards. */
  DecodedImage(int width, int height, int channels, byte[] pixels) {
    this(width, height, channels, pixels, width, height);
  }

  /**
   * As above, for an image decoded at reduced scale from a {@code fullWidth} × {@code fullHeight}
   * picture.
   */
  DecodedImage(int width, int height, int channels, byte[] pixels, int fullWidth, int fullHeight) {
    requireNonNull(pixels, "pixels");
    if (fullWidth < width || fullHeight < height) {
      throw new IllegalArgumentException(
          String.format(
              "full size: %dx%d (expected: at least the decoded %dx%d)",
              fullWidth, fullHeight, width, height));
    }
    if (channels != 3 && channels != 4) {
      throw new IllegalArgumentException("channels: " + channels + " (expected: 3 or 4)");
    }
    if (width <= 0 || height <= 0 || pixels.length != (long) width * height * channels) {
      throw new IllegalArgumentException(
          String.format(
              "pixels: %d bytes for %dx%dx%d (expected: %d)",
              pixels.length, width, height, channels, (long) width * height * channels));
    }
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.pixels = pixels;
    this.fullWidth = fullWidth;
    this.fullHeight = fullHeight;
  }

  /** Returns the width in pixels. */
  public int width() {
    return width;
  }

  /** Returns the height in pixels. */
  public int height() {
    return height;
  }

  /**
   * Returns the width of the picture as stored: {@link #width()} unless decoded at reduced scale.
   */
  public int fullWidth() {
    return fullWidth;
  }

  /**
   * Returns the height of the picture as stored: {@link #height()} unless decoded at reduced scale.
   */
  public int fullHeight() {
    return fullHeight;
  }

  /** Returns whether the image carries an alpha channel (then {@link #channels()} is 4). */
  public boolean hasAlpha() {
    return channels == 4;
  }

  /** Returns 3 (RGB) or 4 (RGBA). */
  public int channels() {
    return channels;
  }

  /** Returns the pixel at ({@code x}, {@code y}) as non-premultiplied 0xAARRGGBB. */
  public int argb(int x, int y) {
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException(
          "(" + x + ", " + y + ") (expected: inside " + width + "x" + height + ")");
    }
    int i = (y * width + x) * channels;
    int alpha = channels == 4 ? pixels[i + 3] & 0xFF : 0xFF;
    return alpha << 24
        | (pixels[i] & 0xFF) << 16
        | (pixels[i + 1] & 0xFF) << 8
        | pixels[i + 2] & 0xFF;
  }

  /** Returns the backing array without copying; callers must not modify it. */
  byte[] pixels() {
    return pixels;
  }

  @Override
  public String toString() {
    String scaled =
        fullWidth == width && fullHeight == height ? "" : " of " + fullWidth + "x" + fullHeight;
    return "DecodedImage[" + width + "x" + height + scaled + (hasAlpha() ? " RGBA]" : " RGB]");
  }
}
