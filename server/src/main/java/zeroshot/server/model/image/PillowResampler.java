package zeroshot.server.model.image;

/**
 * Pillow 9.4's {@code ImagingResample} for 8-bit images, reproduced bit for bit: a separable
 * convolution, horizontal pass first, each pass only when that dimension changes, with an 8-bit
 * intermediate image.
 *
 * <p>Exactness matters because CLIP was trained on Pillow's output: a plain interpolation without
 * antialiasing moves embeddings far enough to change zero-shot answers. The arithmetic (double
 * coefficients, then {@value #PRECISION_BITS}-bit fixed point rounded away from zero, a half-unit
 * start value and clipping) follows {@code src/libImaging/Resample.c}.
 */
final class PillowResampler {
  /**
   * Fraction bits of the fixed-point weights: 32 minus 8 result bits minus 2 for sign/overshoot.
   */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PillowResampler() {}

  /**
   * Resamples interleaved 8-bit pixels with {@code channels} bytes each to {@code outWidth} ×
   * {@code outHeight}; {@code filter} must be {@link Interpolation#BILINEAR} or {@link
   * Interpolation#BICUBIC}.
   */
  static byte[] resample(
      byte[] in,
      int width,
      int height,
      int channels,
      int outWidth,
      int outHeight,
      Interpolation filter) {
    byte[] pixels = in;
    int w = width;
    if (outWidth != width) {
      Coefficients k = Coefficients.compute(width, outWidth, filter);
      pixels = horizontal(pixels, w, height, channels, outWidth, k);
      w = outWidth;
    }
    if (outHeight != height) {
      Coefficients k = Coefficients.compute(height, outHeight, filter);
      pixels = vertical(pixels, w, channels, outHeight, k);
    }
    return pixels == in ? in.clone() : pixels;
  }

  private static byte[] horizontal(
      byte[] in, int width, int height, int channels, int outWidth, Coefficients k) {
    byte[] out = new byte[outWidth * height * channels];
    for (int y = 0; y < height; y++) {
      int inRow = y * width * channels;
      int outRow = y * outWidth * channels;
      for (int xx = 0; xx < outWidth; xx++) {
        int first = k.first[xx];
        int base = xx * k.size;
        for (int c = 0; c < channels; c++) {
          int sum = 1 << (PRECISION_BITS - 1);
          for (int x = 0; x < k.count[xx]; x++) {
            sum += (in[inRow + (first + x) * channels + c] & 0xFF) * k.weights[base + x];
          }
          out[outRow + xx * channels + c] = clip8(sum);
        }
      }
    }
    return out;
  }

  private static byte[] vertical(
      byte[] in, int width, int channels, int outHeight, Coefficients k) {
    int stride = width * channels;
    byte[] out = new byte[outHeight * stride];
    for (int yy = 0; yy < outHeight; yy++) {
      int first = k.first[yy];
      int base = yy * k.size;
      for (int i = 0; i < stride; i++) {
        int sum = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < k.count[yy]; y++) {
          sum += (in[(first + y) * stride + i] & 0xFF) * k.weights[base + y];
        }
        out[yy * stride + i] = clip8(sum);
      }
    }
    return out;
  }

  private static byte clip8(int sum) {
    int v = sum >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /** Per output pixel: first input index, number of taps, and fixed-point tap weights. */
  private static final class Coefficients {
    final int size;
    final int[] first;
    final int[] count;
    final int[] weights;

    private Coefficients(int size, int outSize) {
      this.size = size;
      this.first = new int[outSize];
      this.count = new int[outSize];
      this.weights = new int[outSize * size];
    }

    /** {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
    static Coefficients compute(int inSize, int outSize, Interpolation filter) {
      double scale = (double) inSize / outSize;
      // Downscaling widens the filter so every input pixel contributes (antialiasing).
      double filterScale = Math.max(scale, 1.0);
      double support = support(filter) * filterScale;
      Coefficients k = new Coefficients((int) Math.ceil(support) * 2 + 1, outSize);
      double[] w = new double[k.size];
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        // (int) truncates toward zero, as the C cast does, before clamping.
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        double total = 0.0;
        for (int x = 0; x < xmax; x++) {
          w[x] = kernel(filter, (x + xmin - center + 0.5) * (1.0 / filterScale));
          total += w[x];
        }
        for (int x = 0; x < xmax; x++) {
          double normalised = total != 0.0 ? w[x] / total : w[x];
          double fixed = normalised * (1 << PRECISION_BITS);
          k.weights[xx * k.size + x] = (int) (normalised < 0 ? fixed - 0.5 : fixed + 0.5);
        }
        k.first[xx] = xmin;
        k.count[xx] = xmax;
      }
      return k;
    }

    private static double support(Interpolation filter) {
      return filter == Interpolation.BICUBIC ? 2.0 : 1.0;
    }

    private static double kernel(Interpolation filter, double x) {
      double ax = Math.abs(x);
      if (filter == Interpolation.BILINEAR) {
        return ax < 1.0 ? 1.0 - ax : 0.0;
      }
      final double a = -0.5; // Pillow's bicubic; Catmull-Rom-like sharpness
      if (ax < 1.0) {
        return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
      }
      if (ax < 2.0) {
        return (((ax - 5) * ax + 8) * ax - 4) * a;
      }
      return 0.0;
    }
  }
}
