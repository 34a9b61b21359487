package zeroshot.server.model.image;

/**
 * Chooses the DCT scale of a fast-mode JPEG decode: the smallest of 1/2, 1/4 and 1/8 at which both
 * decoded sides are still at least twice what the short-side resize makes of them.
 *
 * <p>Twice the target keeps the exact bicubic resize that follows doing real antialiasing, which is
 * what keeps the tensor within a few levels of the full decode; libjpeg's scaled IDCT alone is a
 * box-like filter. Pillow's {@code draft()} picks its scale the same way for a requested size.
 */
final class JpegScale {
  /** The scale denominators libjpeg-turbo decodes to by DCT scaling, largest first. */
  private static final int[] DENOMINATORS = {8, 4, 2};

  private JpegScale() {}

  /**
   * Returns 8, 4, 2, or 1 (no scaling) for a {@code width} × {@code height} JPEG whose short side
   * is resized to {@code shortSide}.
   */
  static int denominator(int width, int height, int shortSide) {
    if (width <= 0 || height <= 0 || shortSide <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "size: %dx%d to short side %d (expected: all > 0)", width, height, shortSide));
    }
    long targetWidth = ImagePreprocessor.resizedLength(width, height, shortSide);
    long targetHeight = ImagePreprocessor.resizedLength(height, width, shortSide);
    for (int d : DENOMINATORS) {
      if (scaled(width, d) >= 2 * targetWidth && scaled(height, d) >= 2 * targetHeight) {
        return d;
      }
    }
    return 1;
  }

  /** libjpeg's output size at scale 1/{@code denominator}: {@code ceil(size / denominator)}. */
  static int scaled(int size, int denominator) {
    return (size + denominator - 1) / denominator;
  }
}
