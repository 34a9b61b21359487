package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

import zeroshot.server.model.image.Geometry.Size;

/**
 * Chooses the DCT scale of a fast-mode JPEG decode: the smallest of 1/2, 1/4 and 1/8 at which both
 * decoded sides are still at least twice what the geometry's resize makes of the full picture
 * (CLIP: the short-side resize before the crop; SigLIP: the square; NaFlex: the patch-grid size).
 *
 * <p>Twice the target keeps the exact resize that follows doing real antialiasing, which is what
 * keeps the tensor within a few levels of the full decode; libjpeg's scaled IDCT alone is a
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
    return denominator(width, height, new Geometry.CenterCrop(shortSide, shortSide));
  }

  /** Returns 8, 4, 2, or 1 (no scaling) for a {@code width} × {@code height} JPEG. */
  static int denominator(int width, int height, Geometry geometry) {
    requireNonNull(geometry, "geometry");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          String.format("size: %dx%d (expected: both sides > 0)", width, height));
    }
    Size target = geometry.resizedSize(width, height);
    for (int d : DENOMINATORS) {
      if (scaled(width, d) >= 2L * target.width() && scaled(height, d) >= 2L * target.height()) {
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
