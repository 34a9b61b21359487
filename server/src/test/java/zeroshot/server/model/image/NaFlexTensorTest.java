package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NaFlexTensorTest {
  private static final int PATCH = 4;
  private final ImageDecoder decoder = new ImageDecoder(1_000_000);

  /**
   * An 8 x 12 picture with patch 4 and room for 6 patches is already its NaFlex size, so no resize
   * touches it, and every value can be traced back to its pixel: each level encodes (x, y, c).
   */
  @Test
  void patchesAreRowMajorAndEachIsFlattenedAsRowColumnChannel() throws Exception {
    int width = 12;
    int height = 8;
    byte[] pixels = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < 3; c++) {
          pixels[(y * width + x) * 3 + c] = (byte) level(x, y, c);
        }
      }
    }
    PreprocessSpec spec = nFlex(8);

    float[] tensor =
        new ImagePreprocessor(spec).toTensor(decoder.fromRawPixels(pixels, width, height, 3));

    assertThat(tensor).hasSize(8 * 3 * PATCH * PATCH + 2);
    assertThat(NaFlexTensor.rows(tensor)).isEqualTo(2);
    assertThat(NaFlexTensor.columns(tensor)).isEqualTo(3);
    assertThat(NaFlexTensor.patches(tensor)).isEqualTo(6);
    assertThat(NaFlexTensor.maxPatches(tensor, PATCH)).isEqualTo(8);
    int o = NaFlexTensor.PATCH_DATA_OFFSET;
    for (int patchRow = 0; patchRow < 2; patchRow++) {
      for (int patchColumn = 0; patchColumn < 3; patchColumn++) {
        for (int y = 0; y < PATCH; y++) {
          for (int x = 0; x < PATCH; x++) {
            for (int c = 0; c < 3; c++) {
              int level = level(patchColumn * PATCH + x, patchRow * PATCH + y, c);
              assertThat(tensor[o++])
                  .as("patch (%d, %d), pixel (%d, %d), channel %d", patchRow, patchColumn, y, x, c)
                  .isEqualTo((level / 255f - 0.5f) / 0.5f);
            }
          }
        }
      }
    }
    // Two padding patches, all zero, then the shape.
    assertThat(Arrays.copyOfRange(tensor, o, o + 2 * 3 * PATCH * PATCH)).containsOnly(0f);
    assertThat(Arrays.copyOfRange(tensor, tensor.length - 2, tensor.length))
        .containsExactly(2f, 3f);
  }

  @Test
  void alphaIsDroppedBeforeTheResize() throws Exception {
    byte[] rgba = new byte[30 * 20 * 4];
    byte[] rgb = new byte[30 * 20 * 3];
    for (int i = 0; i < 30 * 20; i++) {
      for (int c = 0; c < 3; c++) {
        rgba[i * 4 + c] = rgb[i * 3 + c] = (byte) (i * 7 + c * 50);
      }
      rgba[i * 4 + 3] = (byte) (i % 256);
    }
    ImagePreprocessor preprocessor = new ImagePreprocessor(nFlex(16));

    float[] fromRgba = preprocessor.toTensor(decoder.fromRawPixels(rgba, 30, 20, 4));

    assertThat(fromRgba)
        .containsExactly(preprocessor.toTensor(decoder.fromRawPixels(rgb, 30, 20, 3)));
  }

  @Test
  void lengthIsMaxPatchesTimesPatchVectorPlusTheShape() {
    assertThat(NaFlexTensor.length(16, 256)).isEqualTo(256 * 768 + 2);
    assertThat(NaFlexTensor.patchLength(16)).isEqualTo(768);
    assertThat(PreprocessSpec.siglip2NaFlex(16, 256).tensorLength()).isEqualTo(256 * 768 + 2);
  }

  @Test
  void refusesSizesWhoseTensorCannotBeAnArray() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NaFlexTensor.length(16, 3_000_000))
        .withMessageContaining("(expected: maxPatches * 3 * patchSize² + 2 <= 2147483647)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NaFlexTensor.length(100_000, 1))
        .withMessageContaining("patchSize: 100000");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Geometry.Patches(0, 96))
        .withMessage("patchSize: 0 (expected: > 0)");
  }

  @Test
  void refusesATensorWithoutAShape() {
    float[] squashed = new float[3 * 4 * 4];
    squashed[squashed.length - 1] = -0.25f;

    assertThatIllegalArgumentException()
        .isThrownBy(() -> NaFlexTensor.columns(squashed))
        .withMessage("columns: -0.25 (expected: a whole number >= 1; not a NaFlex tensor?)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NaFlexTensor.maxPatches(new float[10], PATCH))
        .withMessage("tensor: 10 floats (expected: a multiple of 3 * 4² plus 2)");
  }

  private static int level(int x, int y, int c) {
    return (x * 17 + y * 29 + c * 83) % 256;
  }

  private static PreprocessSpec nFlex(int maxPatches) {
    return PreprocessSpec.siglip2NaFlex(PATCH, maxPatches);
  }
}
