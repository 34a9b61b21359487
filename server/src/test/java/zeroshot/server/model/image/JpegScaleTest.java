package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JpegScaleTest {
  @ParameterizedTest(name = "{0}x{1} to short side {2}: 1/{3}")
  @CsvSource({
    // 12 MP phone photo: 1/8 would be 504x378, short of 2 x 224; 1/4 is 1008x756.
    "4032, 3024, 224, 4",
    "3024, 4032, 224, 4",
    "1920, 1080, 224, 2",
    "640, 427, 224, 1",
    "64, 64, 224, 1",
    // Exactly twice the target at 1/2 still counts.
    "896, 896, 224, 2",
    // libjpeg rounds scaled sizes up: ceil(895 / 2) = 448 and ceil(3583 / 8) = 448.
    "895, 895, 224, 2",
    "893, 893, 224, 1",
    "3583, 3583, 224, 8",
    "3576, 3576, 224, 4",
    "4032, 3024, 32, 8",
    // The long side can bind: at 1/4 the short side is ceil(1789 / 4) = 448, but the long side's
    // 895 is short of twice its target, 2 * int(224 * 3578 / 1789) = 896.
    "3578, 1789, 224, 2",
  })
  void picksTheSmallestScaleKeepingBothSidesAtLeastTwiceTheResizeTarget(
      int width, int height, int shortSide, int expected) {
    assertThat(JpegScale.denominator(width, height, shortSide)).isEqualTo(expected);
  }

  /**
   * SigLIP's target is the square itself, NaFlex's the patch-grid size of the whole picture, so the
   * scale follows those rather than a short side.
   */
  @ParameterizedTest(name = "{0}x{1} to {2}: 1/{3}")
  @CsvSource({
    // Square 224: 1/8 of 4032x3024 is 504x378, short of 448 high; 1/4 is 1008x756.
    "4032, 3024, squash224, 4",
    // A panorama squashed to 224x224 needs 448 rows whatever its width: 1/2 of 800 is 400.
    "8000, 800, squash224, 1",
    "8000, 1000, squash224, 2",
    "8000, 3600, squash224, 8",
    // NaFlex 256 patches of 16: 4032x3024 becomes 288x224, 1/8 is 504x378 (< 576x448), 1/4 fits.
    "4032, 3024, patches256, 4",
    "3024, 4032, patches256, 4",
    // 640x427 becomes 304x208: 1/2 is 320x214, short of 608x416.
    "640, 427, patches256, 1",
    // A strip one patch high, 4096x16: 1/2 keeps 50 rows (>= 32), 1/4 only 25.
    "40960, 100, patches256, 2",
  })
  void followsTheGeometrysResizeTarget(int width, int height, String geometry, int expected) {
    Geometry g =
        geometry.startsWith("squash")
            ? new Geometry.Squash(Integer.parseInt(geometry.substring(6)))
            : new Geometry.Patches(16, Integer.parseInt(geometry.substring(7)));

    assertThat(JpegScale.denominator(width, height, g)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "ceil({0} / {1}) = {2}")
  @CsvSource({"4032, 8, 504", "4033, 8, 505", "427, 2, 214", "1, 8, 1"})
  void scaledSizesRoundUpAsLibjpegDoes(int size, int denominator, int expected) {
    assertThat(JpegScale.scaled(size, denominator)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}x{1} to {2}")
  @CsvSource({"0, 10, 224", "10, -1, 224", "10, 10, 0"})
  void rejectsSizesThatAreNotPositive(int width, int height, int shortSide) {
    assertThatThrownBy(() -> JpegScale.denominator(width, height, shortSide))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: all > 0)");
  }
}
