package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The resampler's vectorisable passes (strips of transposed rows, the vertical pass pushed into
 * output rows, four taps per sweep) against Pillow's own loop order, written out plainly below: the
 * whole horizontal pass into an 8-bit image, then the vertical one, then the window cut out. Only
 * the coefficients are shared; ClipReferenceTest anchors those to Pillow's real output.
 */
class PillowResamplerTest {
  private static final int PRECISION_BITS = 22;

  @ParameterizedTest
  @EnumSource(
      value = Interpolation.class,
      names = {"BILINEAR", "BICUBIC"})
  void givesTheBytesOfPillowsLoopOrder(Interpolation filter) {
    Random random = new Random(151);
    for (int round = 0; round < 400; round++) {
      int channels = random.nextBoolean() ? 3 : 4;
      // Heights over several 64-row strips, strong down-scales (many taps, so four-tap sweeps
      // and a remainder), up-scales and unchanged axes.
      int width = 1 + random.nextInt(random.nextInt(4) == 0 ? 700 : 90);
      int height = 1 + random.nextInt(random.nextInt(4) == 0 ? 300 : 90);
      int outWidth = random.nextInt(5) == 0 ? width : 1 + random.nextInt(120);
      int outHeight = random.nextInt(5) == 0 ? height : 1 + random.nextInt(120);
      if (outWidth == width && outHeight == height) {
        outHeight++; // PillowResize copies an unchanged size without resampling
      }
      byte[] pixels = noise(random, width * height * channels);
      int left = random.nextInt(outWidth);
      int top = random.nextInt(outHeight);
      Window window =
          random.nextBoolean()
              ? Window.all(outWidth, outHeight)
              : new Window(
                  left,
                  top,
                  left + 1 + random.nextInt(outWidth - left),
                  top + 1 + random.nextInt(outHeight - top));

      byte[] expected =
          window.cut(
              pillow(pixels, width, height, channels, outWidth, outHeight, filter),
              outWidth,
              channels);

      assertThat(
              PillowResampler.resample(
                  pixels, width, height, channels, outWidth, outHeight, filter, window))
          .as("%dx%dx%d to %dx%d, %s", width, height, channels, outWidth, outHeight, window)
          .containsExactly(expected);
    }
  }

  /** Mostly black and white, which drives the bicubic filter's negative lobes and the clipping. */
  private static byte[] noise(Random random, int length) {
    byte[] pixels = new byte[length];
    for (int i = 0; i < length; i++) {
      pixels[i] =
          random.nextInt(4) == 0
              ? (byte) random.nextInt(256)
              : (byte) (random.nextBoolean() ? 255 : 0);
    }
    return pixels;
  }

  /** {@code ImagingResample}: each pass only when its size changes, 8-bit clipped in between. */
  private static byte[] pillow(
      byte[] in,
      int width,
      int height,
      int channels,
      int outWidth,
      int outHeight,
      Interpolation filter) {
    byte[] image = in;
    if (outWidth != width) {
      PillowResampler.Coefficients k =
          PillowResampler.Coefficients.compute(width, outWidth, filter);
      byte[] out = new byte[outWidth * height * channels];
      for (int y = 0; y < height; y++) {
        for (int xx = 0; xx < outWidth; xx++) {
          for (int c = 0; c < channels; c++) {
            int sum = 1 << (PRECISION_BITS - 1);
            for (int x = 0; x < k.count[xx]; x++) {
              int pixel = image[(y * width + k.first[xx] + x) * channels + c] & 0xFF;
              sum += pixel * k.weights[xx * k.size + x];
            }
            out[(y * outWidth + xx) * channels + c] = clip(sum);
          }
        }
      }
      image = out;
    }
    if (outHeight != height) {
      PillowResampler.Coefficients k =
          PillowResampler.Coefficients.compute(height, outHeight, filter);
      byte[] out = new byte[outWidth * outHeight * channels];
      for (int yy = 0; yy < outHeight; yy++) {
        for (int x = 0; x < outWidth; x++) {
          for (int c = 0; c < channels; c++) {
            int sum = 1 << (PRECISION_BITS - 1);
            for (int y = 0; y < k.count[yy]; y++) {
              int pixel = image[((k.first[yy] + y) * outWidth + x) * channels + c] & 0xFF;
              sum += pixel * k.weights[yy * k.size + y];
            }
            out[(yy * outWidth + x) * channels + c] = clip(sum);
          }
        }
      }
      image = out;
    }
    return image;
  }

  private static byte clip(int sum) {
    int v = sum >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
