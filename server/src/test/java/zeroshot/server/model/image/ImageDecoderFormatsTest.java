package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static zeroshot.server.model.image.ImageFixtures.bytes;
import static zeroshot.server.model.image.ImageFixtures.channels;
import static zeroshot.server.model.image.ImageFixtures.patternAlpha;
import static zeroshot.server.model.image.ImageFixtures.patternRgb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each supported format decodes to the pixels the fixture generator drew. */
class ImageDecoderFormatsTest {
  private static final int[] RED = {255, 0, 0};
  private static final int[] GREEN = {0, 255, 0};
  private static final int[] BLUE = {0, 0, 255};
  private static final int[] WHITE = {255, 255, 255};
  private static final int[] YELLOW = {255, 255, 0};

  private final ImageDecoder decoder = new ImageDecoder(1_000_000);

  @ParameterizedTest
  @ValueSource(strings = {"rgb8.png", "image.bmp"})
  void losslessRgbDecodesExactly(String name) throws Exception {
    DecodedImage image = decoder.decode(bytes(name));

    assertThat(image.hasAlpha()).isFalse();
    assertPattern(image, (x, y) -> withAlpha(patternRgb(x, y), 255));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rgba8.png", "lossless.webp"})
  void losslessRgbaKeepsStraightAlphaAndHiddenColour(String name) throws Exception {
    DecodedImage image = decoder.decode(bytes(name));

    assertThat(image.hasAlpha()).isTrue();
    assertPattern(image, (x, y) -> withAlpha(patternRgb(x, y), patternAlpha(x, y)));
  }

  @Test
  void grayPngIsReplicatedWithoutGammaCorrection() throws Exception {
    DecodedImage image = decoder.decode(bytes("gray8.png"));

    // getRGB on the JDK's linear gray would turn 133 into about 190.
    assertThat(image.hasAlpha()).isFalse();
    assertPattern(image, (x, y) -> gray(16 * x + 5, 255));
  }

  @Test
  void grayAlphaPngBecomesRgba() throws Exception {
    DecodedImage image = decoder.decode(bytes("gray_alpha.png"));

    assertThat(image.hasAlpha()).isTrue();
    assertPattern(image, (x, y) -> gray(16 * x + 5, 20 * y + 7));
  }

  @Test
  void sixteenBitGrayIsRoundedToEightBits() throws Exception {
    DecodedImage image = decoder.decode(bytes("gray16.png"));

    assertPattern(image, (x, y) -> gray(to8(4000 * x + 300 * y + 77), 255));
  }

  @Test
  void sixteenBitRgbIsRoundedToEightBits() throws Exception {
    DecodedImage image = decoder.decode(bytes("rgb16.png"));

    assertPattern(
        image,
        (x, y) -> new int[] {to8(4000 * x + 77), to8(5000 * y + 99), to8(65535 - 3000 * x), 255});
  }

  @Test
  void palettePngWithTransparencyBecomesRgba() throws Exception {
    DecodedImage image = decoder.decode(bytes("palette_trns.png"));

    int[] alphas = {255, 128, 0, 255};
    int[][] colours = {RED, GREEN, BLUE, YELLOW};
    assertThat(image.hasAlpha()).isTrue();
    assertPattern(image, (x, y) -> paletteEntry(colours, alphas, x, y));
  }

  @Test
  void gifDecodesFirstFrameOnly() throws Exception {
    DecodedImage image = decoder.decode(bytes("two_frames.gif"));

    // Frame 1 is solid yellow; frame 0 is the palette pattern without transparency.
    int[] opaque = {255, 255, 255, 255};
    assertThat(image.hasAlpha()).isFalse();
    assertPattern(
        image, (x, y) -> paletteEntry(new int[][] {RED, GREEN, BLUE, YELLOW}, opaque, x, y));
  }

  @Test
  void lossyFormatsDecodeToTheDrawnColours() throws Exception {
    assertQuadrants(decoder.decode(bytes("quadrants.jpg")), 8);
    assertQuadrants(decoder.decode(bytes("lossy.webp")), 16);
  }

  @Test
  void grayJpegIsReplicatedToRgb() throws Exception {
    DecodedImage image = decoder.decode(bytes("gray.jpg"));

    // PIL's convert("L") of the quadrants: red 76, green 150, blue 29, white 255.
    assertThat(image.hasAlpha()).isFalse();
    assertCentre(image, 8, 6, new int[] {76, 76, 76}, 6);
    assertCentre(image, 24, 6, new int[] {150, 150, 150}, 6);
    assertCentre(image, 8, 18, new int[] {29, 29, 29}, 6);
    assertCentre(image, 24, 18, WHITE, 6);
  }

  @Test
  void cmykJpegIsConvertedToRgb() throws Exception {
    DecodedImage image = decoder.decode(bytes("cmyk.jpg"));

    assertThat(image.hasAlpha()).isFalse();
    assertCentre(image, 8, 6, WHITE, 24);
    assertCentre(image, 24, 6, new int[] {0, 255, 255}, 24);
    assertCentre(image, 8, 18, new int[] {255, 0, 255}, 24);
    assertCentre(image, 24, 18, new int[] {0, 0, 0}, 24);
  }

  static void assertQuadrants(DecodedImage image, int tolerance) {
    int w = image.width();
    int h = image.height();
    assertCentre(image, w / 4, h / 4, RED, tolerance);
    assertCentre(image, 3 * w / 4, h / 4, GREEN, tolerance);
    assertCentre(image, w / 4, 3 * h / 4, BLUE, tolerance);
    assertCentre(image, 3 * w / 4, 3 * h / 4, WHITE, tolerance);
  }

  private static void assertCentre(DecodedImage image, int x, int y, int[] rgb, int tolerance) {
    int[] actual = channels(image.argb(x, y));
    for (int c = 0; c < 3; c++) {
      assertThat(actual[c])
          .as("channel %d at (%d, %d)", c, x, y)
          .isCloseTo(rgb[c], within(tolerance));
    }
  }

  private interface Pattern {
    int[] rgba(int x, int y);
  }

  private static void assertPattern(DecodedImage image, Pattern expected) {
    assertThat(image.width()).isEqualTo(16);
    assertThat(image.height()).isEqualTo(12);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        assertThat(channels(image.argb(x, y)))
            .as("(%d, %d)", x, y)
            .containsExactly(expected.rgba(x, y));
      }
    }
  }

  private static int[] paletteEntry(int[][] colours, int[] alphas, int x, int y) {
    int index = (x / 4 + y / 4) % 4;
    return withAlpha(colours[index], alphas[index]);
  }

  private static int[] withAlpha(int[] rgb, int alpha) {
    return new int[] {rgb[0], rgb[1], rgb[2], alpha};
  }

  private static int[] gray(int level, int alpha) {
    return new int[] {level, level, level, alpha};
  }

  private static int to8(int sixteenBit) {
    return (int) Math.round(sixteenBit / 257.0);
  }
}
