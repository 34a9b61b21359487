package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

class PreprocessSpecTest {
  private static final float[] MEAN = {0.5f, 0.5f, 0.5f};
  private static final float[] STD = {0.25f, 0.25f, 0.25f};

  @Test
  void openAiClipUsesBicubicAndClipNormalisation() {
    PreprocessSpec spec = PreprocessSpec.openAiClip(224);

    assertThat(spec.resizeShortSide()).isEqualTo(224);
    assertThat(spec.cropSize()).isEqualTo(224);
    assertThat(spec.interpolation()).isEqualTo(Interpolation.BICUBIC);
    assertThat(spec.mean()).containsExactly(0.48145466f, 0.4578275f, 0.40821073f);
    assertThat(spec.std()).containsExactly(0.26862954f, 0.26130258f, 0.27577711f);
  }

  @Test
  void rejectsNonPositiveSizesNamingTheField() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PreprocessSpec(224, Interpolation.BICUBIC, 0, MEAN, STD))
        .withMessage("cropSize: 0 (expected: > 0)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PreprocessSpec(-1, Interpolation.BICUBIC, 224, MEAN, STD))
        .withMessage("shortSide: -1 (expected: > 0)");
  }

  @Test
  void rejectsMeanOrStdThatIsNotOnePerChannel() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new PreprocessSpec(8, Interpolation.BICUBIC, 8, new float[] {0.5f, 0.5f}, STD))
        .withMessage("mean: length 2 (expected: 3, one per RGB channel)");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new PreprocessSpec(8, Interpolation.BICUBIC, 8, MEAN, new float[] {1, 0, 1}))
        .withMessage("std[1]: 0.0 (expected: a finite number > 0)");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new PreprocessSpec(8, Interpolation.BICUBIC, 8, new float[] {0, Float.NaN, 0}, STD))
        .withMessage("mean[1]: NaN (expected: a finite number)");
  }

  @Test
  void isImmutableAndComparesArraysByValue() {
    float[] mean = MEAN.clone();
    PreprocessSpec spec = new PreprocessSpec(8, Interpolation.BILINEAR, 8, mean, STD);
    mean[0] = 9;
    spec.mean()[1] = 9;

    assertThat(spec.mean()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(spec).isEqualTo(new PreprocessSpec(8, Interpolation.BILINEAR, 8, MEAN, STD));
    assertThat(spec.hashCode())
        .isEqualTo(new PreprocessSpec(8, Interpolation.BILINEAR, 8, MEAN, STD).hashCode());
    assertThat(spec).isNotEqualTo(new PreprocessSpec(8, Interpolation.BICUBIC, 8, MEAN, STD));
  }

  @Test
  void siglipFactoriesSquashOrCutPatchesWithHalfMeanAndStd() {
    PreprocessSpec siglip = PreprocessSpec.siglip(384);
    PreprocessSpec siglip2 = PreprocessSpec.siglip2(256);
    PreprocessSpec naFlex = PreprocessSpec.siglip2NaFlex(16, 256);

    assertThat(siglip.geometry()).isEqualTo(new Geometry.Squash(384));
    assertThat(siglip.interpolation()).isEqualTo(Interpolation.BICUBIC);
    assertThat(siglip2.geometry()).isEqualTo(new Geometry.Squash(256));
    assertThat(siglip2.interpolation()).isEqualTo(Interpolation.BILINEAR);
    assertThat(naFlex.geometry()).isEqualTo(new Geometry.Patches(16, 256));
    assertThat(naFlex.interpolation()).isEqualTo(Interpolation.BILINEAR);
    for (PreprocessSpec spec : new PreprocessSpec[] {siglip, siglip2, naFlex}) {
      assertThat(spec.mean()).containsExactly(0.5f, 0.5f, 0.5f);
      assertThat(spec.std()).containsExactly(0.5f, 0.5f, 0.5f);
    }
  }

  @Test
  void tensorLengthAndInputSizeFollowTheGeometry() {
    assertThat(new PreprocessSpec(256, Interpolation.BICUBIC, 224, MEAN, STD).tensorLength())
        .isEqualTo(3 * 224 * 224);
    assertThat(PreprocessSpec.openAiClip(336).inputSize()).isEqualTo(336);
    assertThat(PreprocessSpec.siglip(384).tensorLength()).isEqualTo(3 * 384 * 384);
    assertThat(PreprocessSpec.siglip(384).inputSize()).isEqualTo(384);
    assertThat(PreprocessSpec.siglip2NaFlex(16, 256).tensorLength()).isEqualTo(256 * 768 + 2);
    assertThat(PreprocessSpec.siglip2NaFlex(16, 256).inputSize()).isZero();
  }

  @Test
  void clipAccessorsRefuseOtherGeometries() {
    PreprocessSpec clip = new PreprocessSpec(256, Interpolation.BICUBIC, 224, MEAN, STD);

    assertThat(clip.geometry()).isEqualTo(new Geometry.CenterCrop(256, 224));
    assertThat(clip.resizeShortSide()).isEqualTo(256);
    assertThat(clip.cropSize()).isEqualTo(224);
    assertThatIllegalStateException()
        .isThrownBy(() -> PreprocessSpec.siglip(224).cropSize())
        .withMessage("cropSize() of Squash[size=224] (expected: a CenterCrop geometry)");
  }

  @Test
  void geometriesRefuseSizesWhoseTensorCannotBeAnArray() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Geometry.Squash(30_000))
        .withMessage("size: 30000 (expected: 3 * size² <= 2147483647)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Geometry.Squash(0))
        .withMessage("size: 0 (expected: > 0)");
  }
}
