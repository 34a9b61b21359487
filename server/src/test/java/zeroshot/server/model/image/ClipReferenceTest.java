package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.server.model.image.ImageFixtures.cosine;
import static zeroshot.server.model.image.ImageFixtures.floats;
import static zeroshot.server.model.image.ImageFixtures.maxAbsDiff;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zeroshot.server.model.TestModels;

/**
 * Compares against tensors that OpenAI CLIP's own transform made with Pillow 9.4 on real photos
 * (tools/clip/tests/preprocess/reference.json): RGB and RGBA PNG, grayscale PNG, and a JPEG.
 */
class ClipReferenceTest {
  private static final ImagePreprocessor PREPROCESSOR =
      new ImagePreprocessor(PreprocessSpec.openAiClip(224));

  @ParameterizedTest
  @ValueSource(strings = {"chelsea.png", "camera.png", "horse.png"})
  void pngTensorsMatchClipReference(String name) throws Exception {
    float[][] actualAndExpected = preprocess(name);

    assertThat(maxAbsDiff(actualAndExpected[0], actualAndExpected[1])).isLessThanOrEqualTo(1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rocket.jpg"})
  void jpegTensorMatchesClipReferenceUpToDecoderDifferences(String name) throws Exception {
    float[][] actualAndExpected = preprocess(name);

    // Pillow decodes with libjpeg-turbo, the JDK with IJG libjpeg 6b: IDCT and chroma upsampling
    // may differ by a level or two per pixel on other encoders' files, so the bound is looser
    // than for PNG. This 4:4:4 photo measures exact (diff 0, cosine 1); converting its Adobe RGB
    // profile, which PIL ignores, gave cosine 0.9975 and max diff 0.48, which this rejects.
    assertThat(cosine(actualAndExpected[0], actualAndExpected[1])).isGreaterThanOrEqualTo(0.9999);
    assertThat(maxAbsDiff(actualAndExpected[0], actualAndExpected[1])).isLessThanOrEqualTo(0.1);
  }

  private static float[][] preprocess(String name) throws Exception {
    Path dir = TestModels.clipReferencePhotos();
    byte[] encoded = Files.readAllBytes(dir.resolve(name));
    float[] expected = floats(Files.readAllBytes(dir.resolve(name + ".clip224.f32")));

    float[] actual = PREPROCESSOR.toTensor(new ImageDecoder(40_000_000).decode(encoded));

    System.out.printf(
        "CLIP reference %s: max abs diff %.3g, cosine %.9f%n",
        name, maxAbsDiff(actual, expected), cosine(actual, expected));
    assertThat(actual).hasSameSizeAs(expected);
    return new float[][] {actual, expected};
  }
}
