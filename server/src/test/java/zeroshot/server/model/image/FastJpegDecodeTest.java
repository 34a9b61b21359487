package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.image.InvalidImageException.Reason;

/**
 * The fast preprocessing mode against the exact one, on CLIP's reference photos made large at test
 * time: scaled up (smooth) and tiled (full-resolution detail everywhere).
 */
@EnabledIf(
    value = "zeroshot.server.model.image.TurboJpegInstalled#check",
    disabledReason = TurboJpegInstalled.MISSING)
class FastJpegDecodeTest {
  private static final PreprocessSpec SPEC = PreprocessSpec.openAiClip(224);
  private static final ImagePreprocessor PREPROCESSOR = new ImagePreprocessor(SPEC);
  private static final ImageDecoder DECODER =
      new ImageDecoder(50_000_000L, ScaledJpegDecoder.load());

  /** Issue 15's bound, in 8-bit levels of the resized pixels before normalisation. */
  private static final double MAX_LEVELS = 3;

  /**
   * Photos scaled up, so softer at the pixel level than their originals, as phone photos are. The
   * 12-megapixel case (1/4 scale) and most others stay within the 3 levels of issue 15; at 1/2
   * scale a sharp photo can differ by more, exactly as Pillow's {@code draft()} does on the same
   * kind of file (tools/bench/pillow_preprocess.py measured 6 for rocket 1920x1080 and 14 for
   * camera 1789x3578), so those rows allow Pillow's figure plus two.
   */
  @ParameterizedTest(name = "{0} to {1}x{2}: at most {3} levels")
  @CsvSource({
    "rocket.jpg, 4032, 3024, 3",
    "chelsea.png, 3024, 4032, 3",
    "chelsea.png, 1920, 1080, 3",
    "horse.png, 2000, 1000, 3",
    "rocket.jpg, 1920, 1080, 8",
    "camera.png, 1789, 3578, 16",
  })
  void photoScaledUpStaysWithinAFewLevelsOfTheExactTensor(String photo, int w, int h, int maxLevels)
      throws Exception {
    byte[] jpeg =
        JpegFiles.scaled(Files.readAllBytes(TestModels.clipReferencePhotos().resolve(photo)), w, h);

    double[] levels = fastVersusExact(jpeg, photo + " scaled", w, h);

    assertThat(levels[0]).isLessThanOrEqualTo(maxLevels + 1e-3);
    assertThat(levels[1]).isLessThanOrEqualTo(1.0);
  }

  /**
   * The worst case: every tile keeps the photo's full-resolution detail, which libjpeg's scaled
   * IDCT folds back (aliasing) where the antialiased resize of a full decode would not. Pillow's
   * {@code draft()} does the same: on such files (tools/bench/pillow_preprocess.py) it measured max
   * 9, 4, 24 and 8 levels from Pillow's exact tensor. Real photos are softer at the pixel level.
   */
  @ParameterizedTest(name = "{0} tiled to {1}x{2}")
  @CsvSource({
    "rocket.jpg, 4032, 3024",
    "rocket.jpg, 1920, 1080",
    "chelsea.png, 3024, 4032",
    "camera.png, 1789, 3578",
    "horse.png, 2000, 1000",
  })
  void pixelLevelDetailStaysWithinALevelOnAverage(String photo, int w, int h) throws Exception {
    byte[] jpeg =
        JpegFiles.tiled(Files.readAllBytes(TestModels.clipReferencePhotos().resolve(photo)), w, h);

    double[] levels = fastVersusExact(jpeg, photo + " tiled", w, h);

    assertThat(levels[1]).isLessThanOrEqualTo(1.0);
    assertThat(levels[0]).isLessThanOrEqualTo(32);
  }

  /** Decodes both ways, checks that the fast path ran, and returns {max, mean} levels apart. */
  private static double[] fastVersusExact(byte[] jpeg, String what, int w, int h) throws Exception {
    int d = JpegScale.denominator(w, h, SPEC.resizeShortSide());

    DecodedImage fast = DECODER.decode(jpeg, PreprocessMode.FAST, SPEC.resizeShortSide());
    DecodedImage exact = DECODER.decode(jpeg);

    assertThat(d).isGreaterThan(1);
    assertThat(fast.width()).isEqualTo(JpegScale.scaled(w, d));
    assertThat(fast.height()).isEqualTo(JpegScale.scaled(h, d));
    double[] levels = levels(PREPROCESSOR.toTensor(fast), PREPROCESSOR.toTensor(exact));
    System.out.printf(
        "fast vs exact, %s %dx%d at 1/%d: max %.3f, mean %.4f levels of 255%n",
        what, w, h, d, levels[0], levels[1]);
    return levels;
  }

  @Test
  void jpegTooSmallToScaleGivesTheExactTensorBitForBit() throws Exception {
    // 640x427: 1/2 would be 320x214, short of twice 224.
    byte[] jpeg = Files.readAllBytes(TestModels.clipReferencePhotos().resolve("rocket.jpg"));

    float[] fast =
        PREPROCESSOR.toTensor(DECODER.decode(jpeg, PreprocessMode.FAST, SPEC.resizeShortSide()));

    assertThat(fast).containsExactly(PREPROCESSOR.toTensor(DECODER.decode(jpeg)));
  }

  /** CMYK keeps the exact path's conversion; gray JPEGs take TurboJPEG and come out the same. */
  @ParameterizedTest
  @CsvSource({"cmyk.jpg", "gray.jpg"})
  void cmykAndGrayJpegsGiveTheExactPixels(String name) throws Exception {
    byte[] jpeg = ImageFixtures.bytes(name);
    DecodedImage exact = DECODER.decode(jpeg);

    DecodedImage fast = DECODER.decode(jpeg, PreprocessMode.FAST, SPEC.resizeShortSide());

    assertThat(fast.width()).isEqualTo(exact.width());
    assertThat(fast.height()).isEqualTo(exact.height());
    assertThat(fast.channels()).isEqualTo(exact.channels());
    assertThat(fast.pixels()).containsExactly(exact.pixels());
  }

  @Test
  void otherFormatsAreDecodedExactly() throws Exception {
    byte[] png = Files.readAllBytes(TestModels.clipReferencePhotos().resolve("chelsea.png"));
    DecodedImage exact = DECODER.decode(png);

    DecodedImage fast = DECODER.decode(png, PreprocessMode.FAST, 32);

    assertThat(fast.width()).isEqualTo(exact.width());
    assertThat(PREPROCESSOR.toTensor(fast)).containsExactly(PREPROCESSOR.toTensor(exact));
  }

  @Test
  void exifOrientationIsAppliedAsInTheExactMode() throws Exception {
    byte[] source = Files.readAllBytes(TestModels.clipReferencePhotos().resolve("rocket.jpg"));
    byte[] jpeg = JpegFiles.withOrientation(JpegFiles.scaled(source, 4032, 3024), 6);

    DecodedImage fast = DECODER.decode(jpeg, PreprocessMode.FAST, 224);
    DecodedImage exact = DECODER.decode(jpeg);

    assertThat(exact.width()).isEqualTo(3024);
    assertThat(fast.width()).isEqualTo(756);
    assertThat(fast.height()).isEqualTo(1008);
    double[] levels = levels(PREPROCESSOR.toTensor(fast), PREPROCESSOR.toTensor(exact));
    assertThat(levels[0]).isLessThanOrEqualTo(MAX_LEVELS + 1e-3);
  }

  @ParameterizedTest(name = "cut at {0} of the file")
  @CsvSource({"0.1", "0.5", "0.9", "0.999"})
  void cutOffJpegIsRefusedAsInTheExactMode(double fraction) throws Exception {
    byte[] source = Files.readAllBytes(TestModels.clipReferencePhotos().resolve("rocket.jpg"));
    byte[] jpeg = JpegFiles.tiled(source, 2000, 1000);
    byte[] cut = Arrays.copyOf(jpeg, (int) (jpeg.length * fraction));

    assertThatThrownBy(() -> DECODER.decode(cut, PreprocessMode.FAST, 224))
        .isInstanceOfSatisfying(
            InvalidImageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
  }

  @Test
  void pixelLimitAppliesInFastModeToo() throws Exception {
    byte[] source = Files.readAllBytes(TestModels.clipReferencePhotos().resolve("rocket.jpg"));
    byte[] jpeg = JpegFiles.scaled(source, 4032, 3024);
    ImageDecoder limited = new ImageDecoder(12_000_000L, ScaledJpegDecoder.load());

    assertThatThrownBy(() -> limited.decode(jpeg, PreprocessMode.FAST, 224))
        .isInstanceOfSatisfying(
            InvalidImageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS));
  }

  @Test
  void dataAfterTheEndOfImageStillTakesTheFastPath() throws Exception {
    byte[] source = Files.readAllBytes(TestModels.clipReferencePhotos().resolve("rocket.jpg"));
    byte[] jpeg = JpegFiles.tiled(source, 2000, 1000);
    byte[] trailer = new byte[4096];
    Arrays.fill(trailer, (byte) 0x5A);
    byte[] withTrailer = Arrays.copyOf(jpeg, jpeg.length + trailer.length);
    System.arraycopy(trailer, 0, withTrailer, jpeg.length, trailer.length);

    DecodedImage fast = DECODER.decode(withTrailer, PreprocessMode.FAST, 224);

    assertThat(fast.width()).isEqualTo(1000);
  }

  @Test
  void fastModeNeedsAScaledJpegDecoder() {
    ImageDecoder exactOnly = new ImageDecoder(1000);

    assertThatThrownBy(() -> exactOnly.decode(new byte[] {1}, PreprocessMode.FAST, 224))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("mode: FAST (expected: EXACT, or a decoder built with a ScaledJpegDecoder)");
  }

  /** Max and mean absolute difference in 8-bit levels, undoing CLIP's normalisation. */
  static double[] levels(float[] a, float[] b) {
    float[] std = SPEC.std();
    int plane = a.length / 3;
    double max = 0;
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]) * std[i / plane] * 255;
      max = Math.max(max, d);
      sum += d;
    }
    return new double[] {max, sum / a.length};
  }
}
