package zeroshot.server.model.image;

import zeroshot.server.model.image.Geometry.Size;

/**
 * The size SigLIP 2's NaFlex image processor resizes a picture to, reproduced in the same float64
 * arithmetic so that every boundary case rounds as it does in Python.
 *
 * <p>A bisection over a scale {@code s} in [1e-6, 100] narrows the interval until it is shorter
 * than 1e-5. At a given {@code s} each side becomes {@code ceil(side * s / patch) * patch}, at
 * least one patch, and {@code s} is acceptable while (height / patch) · (width / patch) is at most
 * {@code maxPatches}; the result is the size at the interval's lower end. Both sides are rounded up
 * separately, so the aspect ratio is only roughly kept (notes/siglip.md, "Image preprocessing").
 */
final class NaFlexSize {
  /** The width of the interval that ends the search. */
  private static final double EPS = 1e-5;

  /**
   * The search's lower end: computed as {@code eps / 10}, which is one unit in the last place above
   * the literal 1e-6, because the midpoints, and so the rounding of rare sizes, follow it.
   */
  private static final double LOWEST_SCALE = EPS / 10;

  private static final double HIGHEST_SCALE = 100.0;

  private NaFlexSize() {}

  /**
   * Returns the NaFlex size of a {@code width} × {@code height} picture.
   *
   * @throws IllegalArgumentException when even the smallest scale gives more than {@code
   *     maxPatches} patches, which needs a picture over a million times longer than it is wide
   *     (transformers fails on it too, padding by a negative count)
   */
  static Size of(int width, int height, int patchSize, int maxPatches) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "size: " + width + "x" + height + " (expected: both sides > 0)");
    }
    double low = LOWEST_SCALE;
    double high = HIGHEST_SCALE;
    while (high - low >= EPS) {
      double scale = (low + high) / 2;
      if (fits(
          scaled(height, scale, patchSize),
          scaled(width, scale, patchSize),
          patchSize,
          maxPatches)) {
        low = scale;
      } else {
        high = scale;
      }
    }
    long outHeight = scaled(height, low, patchSize);
    long outWidth = scaled(width, low, patchSize);
    if (!fits(outHeight, outWidth, patchSize, maxPatches)) {
      throw new IllegalArgumentException(
          String.format(
              "image %dx%d: %dx%d px at the smallest scale, %d patches of %d px"
                  + " (expected: at most %d patches)",
              width,
              height,
              outWidth,
              outHeight,
              outWidth / patchSize * (outHeight / patchSize),
              patchSize,
              maxPatches));
    }
    return new Size((int) outWidth, (int) outHeight);
  }

  /**
   * Python's {@code max(patch, math.ceil(side * scale / patch) * patch)}: product and quotient in
   * float64, ceiling exact; at most about 2^31 · 100 for an int side, so a long holds it.
   */
  private static long scaled(int side, double scale, int patchSize) {
    long patches = (long) Math.ceil(side * scale / patchSize);
    return Math.max(patchSize, patches * patchSize);
  }

  /** {@code (height / patch) * (width / patch) <= maxPatches} with Python's float64 quotients. */
  private static boolean fits(long height, long width, int patchSize, int maxPatches) {
    return ((double) height / patchSize) * ((double) width / patchSize) <= maxPatches;
  }
}
