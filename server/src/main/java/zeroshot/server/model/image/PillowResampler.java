package zeroshot.server.model.image;

import java.util.Arrays;

/**
 * Pillow 9.4's {@code ImagingResample} for 8-bit images, reproduced bit for bit: a separable
 * convolution, horizontal pass first, each pass only when that dimension changes, with an 8-bit
 * intermediate image.
 *
 * <p>Exactness matters because CLIP was trained on Pillow's output: a plain interpolation without
 * antialiasing moves embeddings far enough to change zero-shot answers. The arithmetic (double
 * coefficients, then {@value #PRECISION_BITS}-bit fixed point rounded away from zero, a half-unit
 * start value and clipping) follows {@code src/libImaging/Resample.c}.
 *
 * <p>The loops are arranged so that the JIT vectorises them (C2's SuperWord, which in Java 17 only
 * vectorises a loop whose arrays are all {@code int[]} read at the same index): every pass is a sum
 * of whole {@code int[]} rows times one weight each. The horizontal pass therefore works on strips
 * of {@value #STRIP} input rows turned into one array per input column and channel, and the
 * vertical pass sums each output row as soon as the rows it reads are computed, so that only a
 * strip and the filter's height of those rows are held, however large the picture. The sums are
 * 32-bit integers, as in Pillow, and integer addition is associative (even wrapping), so the order
 * of the taps does not change a bit.
 */
final class PillowResampler {
  /**
   * Fraction bits of the fixed-point weights: 32 minus 8 result bits minus 2 for sign/overshoot.
   */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  /** Pillow's rounding start value: half a unit of the fixed-point result. */
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  /**
   * Input rows per strip of the horizontal pass: the vector length of its sums. 64 was the fastest
   * of 32, 48, 64, 96 and 128 on 640x427 (longer strips fall out of the L1 cache).
   */
  private static final int STRIP = 64;

  private PillowResampler() {}

  /**
   * Resamples interleaved 8-bit pixels with {@code channels} bytes each to {@code outWidth} ×
   * {@code outHeight} and returns the part of the result in {@code window}; {@code filter} must be
   * {@link Interpolation#BILINEAR} or {@link Interpolation#BICUBIC}.
   *
   * <p>Each output pixel depends only on its own taps, so computing just the window (the centre
   * crop, for CLIP) gives the same bytes as cropping the whole result, for a third less work on a
   * 3:2 photo.
   */
  static byte[] resample(
      byte[] in,
      int width,
      int height,
      int channels,
      int outWidth,
      int outHeight,
      Interpolation filter,
      Window window) {
    // An unchanged axis is a pass of one tap of weight 1.0: the same bytes as skipping it.
    Coefficients horizontal =
        outWidth != width
            ? Coefficients.compute(width, outWidth, filter)
            : Coefficients.identity(width);
    Coefficients vertical =
        outHeight != height
            ? Coefficients.compute(height, outHeight, filter)
            : Coefficients.identity(height);
    int colFrom = horizontal.first[window.left()];
    int colTo = horizontal.end(window.left(), window.right());
    int rowFrom = vertical.first[window.top()];
    int rowTo = vertical.end(window.top(), window.bottom());

    // A small picture takes one strip of just its rows: no lanes summed for nothing. The
    // horizontal pass's rows are kept while an output row may still read them: one strip plus the
    // most rows any output row reads (an output row not finished by the previous strip starts less
    // than that far back).
    int strip = Math.min(STRIP, rowTo - rowFrom);
    int kept = strip + vertical.size;
    int[][][] rows = new int[channels][kept][window.width()];
    HorizontalPass pass =
        new HorizontalPass(
            in, width, channels, colFrom, colTo - colFrom, strip, window, horizontal);
    byte[] out = new byte[window.height() * window.width() * channels];
    int[] sum = new int[window.width()];
    int[][] taps = new int[vertical.size][];
    int yy = window.top();
    for (int y0 = rowFrom; y0 < rowTo; y0 += strip) {
      int count = Math.min(strip, rowTo - y0);
      pass.strip(y0, count, rows, rowFrom);
      // Every output row whose input rows are all computed now.
      for (; yy < window.bottom() && vertical.first[yy] + vertical.count[yy] <= y0 + count; yy++) {
        for (int c = 0; c < channels; c++) {
          for (int t = 0; t < vertical.count[yy]; t++) {
            taps[t] = rows[c][(vertical.first[yy] + t - rowFrom) % kept];
          }
          weightedSum(sum, taps, 0, vertical.weights, yy * vertical.size, vertical.count[yy]);
          int o = (yy - window.top()) * sum.length * channels + c;
          for (int x = 0; x < sum.length; x++, o += channels) {
            out[o] = (byte) clip(sum[x]);
          }
        }
      }
    }
    return out;
  }

  /**
   * The horizontal pass, a strip of input rows at a time, for the window's columns only: each strip
   * is first turned into one {@code int[]} per input column and channel (its rows side by side), so
   * that an output column of the strip is a sum of whole input columns.
   */
  private static final class HorizontalPass {
    private final byte[] in;
    private final int width;
    private final int channels;
    private final int colFrom;
    private final Window window;
    private final Coefficients k;

    /** [channel][input column - colFrom][row in strip] */
    private final int[][][] columns;

    /** [window column][row in strip], one channel at a time */
    private final int[][] sums;

    private final int[] rowStart;

    HorizontalPass(
        byte[] in,
        int width,
        int channels,
        int colFrom,
        int cols,
        int strip,
        Window window,
        Coefficients k) {
      this.in = in;
      this.width = width;
      this.channels = channels;
      this.colFrom = colFrom;
      this.window = window;
      this.k = k;
      this.rowStart = new int[strip];
      this.columns = new int[channels][cols][strip];
      this.sums = new int[window.width()][strip];
    }

    /**
     * Rows {@code y0..y0 + count} of the pass, clipped to 8 bits, into {@code out[channel][(y -
     * rowFrom) % out[channel].length]}.
     */
    void strip(int y0, int count, int[][][] out, int rowFrom) {
      transpose(y0, count);
      for (int c = 0; c < channels; c++) {
        int[][] plane = columns[c];
        // Lanes past count hold an earlier strip's rows: summed, never read.
        for (int xx = window.left(); xx < window.right(); xx++) {
          weightedSum(
              sums[xx - window.left()],
              plane,
              k.first[xx] - colFrom,
              k.weights,
              xx * k.size,
              k.count[xx]);
        }
        for (int r = 0; r < count; r++) {
          int[] row = out[c][(y0 + r - rowFrom) % out[c].length];
          for (int x = 0; x < row.length; x++) {
            row[x] = clip(sums[x][r]);
          }
        }
      }
    }

    /** Input rows {@code y0..y0 + count} into {@link #columns}, all channels in one read. */
    private void transpose(int y0, int count) {
      for (int r = 0; r < count; r++) {
        rowStart[r] = ((y0 + r) * width + colFrom) * channels;
      }
      int cols = columns[0].length;
      if (channels == 3) {
        int[][] red = columns[0];
        int[][] green = columns[1];
        int[][] blue = columns[2];
        for (int x = 0; x < cols; x++) {
          int[] r0 = red[x];
          int[] g0 = green[x];
          int[] b0 = blue[x];
          for (int r = 0, offset = x * 3; r < count; r++) {
            int p = rowStart[r] + offset;
            r0[r] = in[p] & 0xFF;
            g0[r] = in[p + 1] & 0xFF;
            b0[r] = in[p + 2] & 0xFF;
          }
        }
        return;
      }
      for (int x = 0; x < cols; x++) {
        for (int r = 0, offset = x * channels; r < count; r++) {
          int p = rowStart[r] + offset;
          for (int c = 0; c < channels; c++) {
            columns[c][x][r] = in[p + c] & 0xFF;
          }
        }
      }
    }
  }

  /**
   * {@code out[i] = HALF + sum of weights[base + t] * inputs[first + t][i]} over {@code taps} taps,
   * four taps per sweep of {@code out} so that it is loaded and stored a quarter as often.
   */
  private static void weightedSum(
      int[] out, int[][] inputs, int first, int[] weights, int base, int taps) {
    int t = 0;
    if (taps >= 4) {
      setScaled4(
          out,
          inputs[first],
          inputs[first + 1],
          inputs[first + 2],
          inputs[first + 3],
          weights[base],
          weights[base + 1],
          weights[base + 2],
          weights[base + 3]);
      t = 4;
    } else {
      Arrays.fill(out, HALF);
    }
    for (; t + 4 <= taps; t += 4) {
      addScaled4(
          out,
          inputs[first + t],
          inputs[first + t + 1],
          inputs[first + t + 2],
          inputs[first + t + 3],
          weights[base + t],
          weights[base + t + 1],
          weights[base + t + 2],
          weights[base + t + 3]);
    }
    for (; t < taps; t++) {
      addScaled(out, inputs[first + t], weights[base + t]);
    }
  }

  private static void setScaled4(
      int[] sum, int[] a, int[] b, int[] c, int[] d, int wa, int wb, int wc, int wd) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] = HALF + wa * a[i] + wb * b[i] + wc * c[i] + wd * d[i];
    }
  }

  private static void addScaled(int[] sum, int[] row, int weight) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += weight * row[i];
    }
  }

  private static void addScaled4(
      int[] sum, int[] a, int[] b, int[] c, int[] d, int wa, int wb, int wc, int wd) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += wa * a[i] + wb * b[i] + wc * c[i] + wd * d[i];
    }
  }

  private static int clip(int sum) {
    int v = sum >> PRECISION_BITS;
    return v < 0 ? 0 : Math.min(v, 255);
  }

  /** Per output pixel: first input index, number of taps, and fixed-point tap weights. */
  static final class Coefficients {
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

    /** One tap of weight 1.0 per pixel: exact, since HALF + (v << 22) >> 22 is v. */
    static Coefficients identity(int size) {
      Coefficients k = new Coefficients(1, size);
      for (int i = 0; i < size; i++) {
        k.first[i] = i;
        k.count[i] = 1;
        k.weights[i] = 1 << PRECISION_BITS;
      }
      return k;
    }

    /** One past the last input pixel that outputs {@code from..to} read. */
    int end(int from, int to) {
      int end = 0;
      for (int i = from; i < to; i++) {
        end = Math.max(end, first[i] + count[i]);
      }
      return end;
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
