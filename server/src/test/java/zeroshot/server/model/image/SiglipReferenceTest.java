package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import zeroshot.server.testing.Npz;

/**
 * Compares against the {@code pixel_values} that transformers' Pillow-based {@code
 * SiglipImageProcessor} and {@code Siglip2ImageProcessor} made of three images
 * (tools/siglip/tests/reference, on the test classpath as /siglip/): a ramp, uniform noise and a
 * sharp pattern, fed in as raw RGB pixels, as the server takes them. Same Pillow arithmetic and the
 * same float32 operations, so every value must be bit-identical.
 */
class SiglipReferenceTest {
  private static final Npz SIGLIP = Npz.resource("/siglip/siglip_inputs.npz");
  private static final Npz SIGLIP2 = Npz.resource("/siglip/siglip2_inputs.npz");
  private static final ImageDecoder DECODER = new ImageDecoder(1_000_000);

  @ParameterizedTest(name = "image{0}")
  @ValueSource(ints = {0, 1, 2})
  void squashedBicubicTensorEqualsSiglipPixelValues(int index) throws Exception {
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessSpec.siglip(224));
    int length = 3 * 224 * 224;
    float[] expected = slice(SIGLIP.get("pixel_values").floats(), index, length);

    float[] actual = preprocessor.toTensor(image(SIGLIP, index));

    assertBitIdentical(actual, expected, "SigLIP image" + index);
  }

  @ParameterizedTest(name = "image{0}: {1} x {2} patches")
  @CsvSource({"0, 9, 9", "1, 8, 12", "2, 6, 16"})
  void naFlexTensorEqualsSiglip2PixelValuesMaskAndShapes(int index, int rows, int columns)
      throws Exception {
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessSpec.siglip2NaFlex(16, 96));
    int length = 96 * 768;
    float[] expected = slice(SIGLIP2.get("pixel_values").floats(), index, length);
    long[] mask = slice(SIGLIP2.get("pixel_attention_mask").longs(), index, 96);
    long[] shape = slice(SIGLIP2.get("spatial_shapes").longs(), index, 2);

    float[] actual = preprocessor.toTensor(image(SIGLIP2, index));

    assertThat(actual).hasSize(NaFlexTensor.length(16, 96));
    assertThat(new long[] {NaFlexTensor.rows(actual), NaFlexTensor.columns(actual)})
        .containsExactly(shape)
        .containsExactly(rows, columns);
    long realPatches = Arrays.stream(mask).sum();
    assertThat(NaFlexTensor.patches(actual)).isEqualTo(realPatches);
    assertThat(Arrays.copyOf(mask, (int) realPatches)).containsOnly(1L);
    float[] patches = Arrays.copyOfRange(actual, NaFlexTensor.PATCH_DATA_OFFSET, length);
    assertBitIdentical(patches, expected, "SigLIP 2 NaFlex image" + index);
  }

  /** The reference's uint8 height × width × RGB image, as raw pixels through the decoder. */
  private static DecodedImage image(Npz npz, int index) throws InvalidImageException {
    Npz.Array array = npz.get("image" + index + "_uint8");
    int[] shape = array.shape();
    return DECODER.fromRawPixels(array.bytes(), shape[1], shape[0], shape[2]);
  }

  private static void assertBitIdentical(float[] actual, float[] expected, String what) {
    assertThat(actual).hasSameSizeAs(expected);
    int differing = 0;
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
        differing++;
        max = Math.max(max, Math.abs((double) actual[i] - expected[i]));
      }
    }
    System.out.printf(
        "%s: %d of %d values differ, max abs diff %.3g%n", what, differing, actual.length, max);
    assertThat(differing).as("values not bit-identical (max abs diff %s)", max).isZero();
  }

  private static float[] slice(float[] all, int index, int length) {
    return Arrays.copyOfRange(all, index * length, (index + 1) * length);
  }

  private static long[] slice(long[] all, int index, int length) {
    return Arrays.copyOfRange(all, index * length, (index + 1) * length);
  }
}
