package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;
import zeroshot.server.model.image.Geometry.Size;

class NaFlexSizeTest {
  /**
   * Sizes that Python computed with its own float64 and {@code math.ceil}
   * (src/test/resources/siglip/make_naflex_sizes.py): small, photo-sized and long thin pictures.
   */
  @ParameterizedTest(name = "{0}x{1} px, patch {2}, max {3}: {4}x{5}")
  @CsvFileSource(resources = "/siglip/naflex_sizes.csv", numLinesToSkip = 1)
  void matchesPythonsArithmetic(
      int height, int width, int patch, int maxPatches, int outHeight, int outWidth) {
    assertThat(NaFlexSize.of(width, height, patch, maxPatches))
        .isEqualTo(new Size(outWidth, outHeight));
  }

  @Test
  void matchesAPlainBisectionOnRandomSizes() {
    SplittableRandom random = new SplittableRandom(96);
    int[] patches = {14, 16, 32};
    int[] limits = {1, 16, 96, 256, 1024};
    for (int i = 0; i < 20_000; i++) {
      int width = 1 + random.nextInt(i % 2 == 0 ? 8000 : 300);
      int height = 1 + random.nextInt(i % 3 == 0 ? 8000 : 300);
      int patch = patches[random.nextInt(patches.length)];
      int maxPatches = limits[random.nextInt(limits.length)];

      Size size = NaFlexSize.of(width, height, patch, maxPatches);

      assertThat(new int[] {size.width(), size.height()})
          .as("%dx%d, patch %d, max %d", width, height, patch, maxPatches)
          .containsExactly(plainBisection(width, height, patch, maxPatches));
      assertThat((size.width() / patch) * (size.height() / patch)).isLessThanOrEqualTo(maxPatches);
    }
  }

  @ParameterizedTest(name = "{0}x{1} px, patch {2}, max {3}: {4}x{5}")
  @CsvSource({
    // The reference images of tools/siglip/tests/reference.
    "224, 224, 16, 96, 144, 144",
    "240, 160, 16, 96, 192, 128",
    "288, 96, 16, 96, 256, 96",
    // One pixel grows to the largest square grid that fits: 7 x 7 patches at scale ~100.
    "1, 1, 16, 96, 112, 112",
    // Held at one patch high, the width takes all 96 patches.
    "10000, 1, 16, 96, 1536, 16",
    "1, 10000, 16, 96, 16, 1536",
    // Exactly the maximum (12 x 8) stays as it is; a column more (13 x 8) comes back to 12 x 8
    // through the rounding up of the height.
    "192, 128, 16, 96, 192, 128",
    "208, 128, 16, 96, 192, 128",
    // Huge: 50,000 x 50,000 and a 12 MP photo.
    "50000, 50000, 16, 256, 256, 256",
    "4032, 3024, 16, 256, 288, 224",
    "640, 427, 16, 256, 304, 208",
    // A patch larger than the picture: one patch.
    "5, 3, 16, 1, 16, 16",
  })
  void edgeCases(int width, int height, int patch, int maxPatches, int outWidth, int outHeight) {
    assertThat(NaFlexSize.of(width, height, patch, maxPatches))
        .isEqualTo(new Size(outWidth, outHeight));
  }

  @Test
  void pictureTooLongForEvenTheSmallestScaleIsRefused() {
    // At scale 1e-6 the long side is still ceil(2147.48 / 16) = 135 patches, over 96.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NaFlexSize.of(Integer.MAX_VALUE, 1, 16, 96))
        .withMessageContaining("(expected: at most 96 patches)");
  }

  /** The documented rule, written out again directly on doubles. */
  private static int[] plainBisection(int width, int height, int patch, int maxPatches) {
    double low = 1e-5 / 10;
    double high = 100;
    while (high - low >= 1e-5) {
      double mid = (low + high) / 2;
      double w = side(width, mid, patch);
      double h = side(height, mid, patch);
      if ((w / patch) * (h / patch) <= maxPatches) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return new int[] {(int) side(width, low, patch), (int) side(height, low, patch)};
  }

  private static double side(int side, double scale, int patch) {
    return Math.max(patch, Math.ceil(side * scale / patch) * patch);
  }
}
