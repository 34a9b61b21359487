package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.server.model.image.ImageFixtures.bytes;
import static zeroshot.server.model.image.ImageFixtures.floats;
import static zeroshot.server.model.image.ImageFixtures.maxAbsDiff;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePreprocessorTest {
  private static final PreprocessSpec CLIP = PreprocessSpec.openAiClip(224);
  private final ImageDecoder decoder = new ImageDecoder(1_000_000);

  @Test
  void producesChannelMajorTensorOfCropSize() throws Exception {
    DecodedImage image = decoder.decode(bytes("photo_96x64.png"));
    PreprocessSpec spec =
        new PreprocessSpec(40, Interpolation.BICUBIC, 24, CLIP.mean(), CLIP.std());

    assertThat(new ImagePreprocessor(spec).toTensor(image)).hasSize(3 * 24 * 24);
    assertThat(new ImagePreprocessor(CLIP).toTensor(image)).hasSize(3 * 224 * 224);
  }

  /** Expected tensors come from Pillow 9.4 through the CLIP transform (make_fixtures.py). */
  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
    "photo_96x64.png, BICUBIC, photo_96x64.bicubic32.f32",
    "photo_96x64.png, BILINEAR, photo_96x64.bilinear32.f32",
    "photo_96x64.png, NEAREST, photo_96x64.nearest32.f32",
    "photo_20x30.png, BICUBIC, photo_20x30.bicubic32.f32",
    "translucent_96x64.png, BICUBIC, translucent_96x64.bicubic32.f32",
  })
  void resizesAndCropsExactlyLikePillow(String image, Interpolation filter, String expected)
      throws Exception {
    PreprocessSpec spec = new PreprocessSpec(32, filter, 32, CLIP.mean(), CLIP.std());

    float[] tensor = new ImagePreprocessor(spec).toTensor(decoder.decode(bytes(image)));

    // Same 8-bit fixed-point arithmetic and float32 normalisation: bit-identical.
    assertThat(maxAbsDiff(tensor, floats(bytes(expected)))).isLessThanOrEqualTo(1e-6);
  }

  @Test
  void normalisesEachChannelWithItsMeanAndStd() throws Exception {
    byte[] pixels = new byte[50 * 30 * 3];
    for (int i = 0; i < pixels.length; i += 3) {
      pixels[i] = 10;
      pixels[i + 1] = (byte) 128;
      pixels[i + 2] = (byte) 250;
    }
    float[] tensor = new ImagePreprocessor(CLIP).toTensor(decoder.fromRawPixels(pixels, 50, 30, 3));

    int plane = 224 * 224;
    assertThat(tensor[0]).isEqualTo((10 / 255f - 0.48145466f) / 0.26862954f);
    assertThat(tensor[plane + 5]).isEqualTo((128 / 255f - 0.4578275f) / 0.26130258f);
    assertThat(tensor[3 * plane - 1]).isEqualTo((250 / 255f - 0.40821073f) / 0.27577711f);
    assertThat(Arrays.copyOfRange(tensor, 0, plane)).containsOnly(tensor[0]);
  }

  @Test
  void centreCropRoundsHalfOffsetsToEven() throws Exception {
    // 9x4, short side already 4: no resize. (9 - 4) / 2 = 2.5 rounds to 2, as Python's round.
    byte[] pixels = new byte[9 * 4 * 3];
    for (int i = 0; i < pixels.length; i += 3) {
      pixels[i] = (byte) (10 * ((i / 3) % 9));
    }
    PreprocessSpec spec = new PreprocessSpec(4, Interpolation.BICUBIC, 4, CLIP.mean(), CLIP.std());

    float[] tensor = new ImagePreprocessor(spec).toTensor(decoder.fromRawPixels(pixels, 9, 4, 3));

    assertThat(Arrays.copyOfRange(tensor, 0, 4))
        .containsExactly(red(20), red(30), red(40), red(50));
  }

  @Test
  void padsWithBlackWhenCropIsLargerThanResizedImage() throws Exception {
    byte[] white = new byte[4 * 4 * 3];
    Arrays.fill(white, (byte) 255);
    PreprocessSpec spec = new PreprocessSpec(4, Interpolation.BICUBIC, 8, CLIP.mean(), CLIP.std());

    float[] tensor = new ImagePreprocessor(spec).toTensor(decoder.fromRawPixels(white, 4, 4, 3));

    // torchvision pads (8 - 4) / 2 = 2 columns and rows of 0 on each side.
    assertThat(Arrays.copyOfRange(tensor, 0, 8)).containsOnly(red(0));
    assertThat(Arrays.copyOfRange(tensor, 2 * 8, 3 * 8))
        .containsExactly(red(0), red(0), red(255), red(255), red(255), red(255), red(0), red(0));
  }

  @Test
  void dropsAlphaAfterResizingWithoutPremultiplyingWhenSizeIsUnchanged() throws Exception {
    // Pillow copies an image whose size does not change, so colour under alpha 0 survives.
    byte[] rgba = new byte[4 * 4 * 4];
    for (int i = 0; i < rgba.length; i += 4) {
      rgba[i] = (byte) 200;
    }
    PreprocessSpec spec = new PreprocessSpec(4, Interpolation.BICUBIC, 4, CLIP.mean(), CLIP.std());

    float[] tensor = new ImagePreprocessor(spec).toTensor(decoder.fromRawPixels(rgba, 4, 4, 4));

    assertThat(Arrays.copyOfRange(tensor, 0, 16)).containsOnly(red(200));
  }

  private static float red(int level) {
    return (level / 255f - 0.48145466f) / 0.26862954f;
  }

  /**
   * transformers rescales as {@code float32(v * (1 / 255))} in float64; torchvision divides in
   * float32. Both give the same float for every 8-bit level, which is why one table serves CLIP and
   * SigLIP bit for bit.
   */
  @Test
  void transformersRescaleEqualsTorchvisionsForEveryLevel() {
    for (int v = 0; v < 256; v++) {
      assertThat((float) (v * (1.0 / 255))).as("level %d", v).isEqualTo(v / 255f);
    }
  }

  @Test
  void squashResizesTheWholePictureWithoutKeepingTheAspectRatio() throws Exception {
    // Left half red 255, right half red 0, 40x10: squashed to 8x8 each half keeps 4 columns.
    byte[] pixels = new byte[40 * 10 * 3];
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 20; x++) {
        pixels[(y * 40 + x) * 3] = (byte) 255;
      }
    }
    PreprocessSpec spec = PreprocessSpec.siglip2(8);

    float[] tensor = new ImagePreprocessor(spec).toTensor(decoder.fromRawPixels(pixels, 40, 10, 3));

    assertThat(tensor).hasSize(3 * 8 * 8);
    for (int y = 0; y < 8; y++) {
      // Bilinear at 5:1 reads 5 columns either side, so the outer 3 of each half stay pure.
      assertThat(Arrays.copyOfRange(tensor, y * 8, y * 8 + 3)).containsOnly(1f);
      assertThat(Arrays.copyOfRange(tensor, y * 8 + 5, y * 8 + 8)).containsOnly(-1f);
    }
    assertThat(Arrays.copyOfRange(tensor, 64, 3 * 64)).containsOnly(-1f);
  }
}
