package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * How an image becomes a model input: resize the short side to {@code resizeShortSide} with {@code
 * interpolation}, centre-crop {@code cropSize} × {@code cropSize}, scale to [0, 1], then subtract
 * {@code mean} and divide by {@code std} per RGB channel.
 *
 * <p>The arrays are copied in and out, so a spec is immutable and safe to share.
 *
 * @param resizeShortSide target length of the short side in pixels, {@code > 0}
 * @param interpolation resampling filter of the resize
 * @param cropSize side of the square centre crop in pixels, {@code > 0}
 * @param mean per-channel (R, G, B) mean on the [0, 1] scale, 3 finite values
 * @param std per-channel (R, G, B) standard deviation on the [0, 1] scale, 3 positive values
 */
public record PreprocessSpec(
    int resizeShortSide, Interpolation interpolation, int cropSize, float[] mean, float[] std) {

  /** OpenAI CLIP's normalisation mean, from {@code clip/clip.py}. */
  private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

  /** OpenAI CLIP's normalisation standard deviation, from {@code clip/clip.py}. */
  private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  /** Validates and copies the arguments. */
  public PreprocessSpec {
    requirePositive("resizeShortSide", resizeShortSide);
    requireNonNull(interpolation, "interpolation");
    requirePositive("cropSize", cropSize);
    mean = requireThree("mean", mean);
    std = requireThree("std", std);
    for (int c = 0; c < 3; c++) {
      if (!Float.isFinite(mean[c])) {
        throw new IllegalArgumentException(
            "mean[" + c + "]: " + mean[c] + " (expected: a finite number)");
      }
      if (!(std[c] > 0) || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException(
            "std[" + c + "]: " + std[c] + " (expected: a finite number > 0)");
      }
    }
  }

  /** Returns OpenAI CLIP's preprocessing for a {@code size} × {@code size} model input. */
  public static PreprocessSpec openAiClip(int size) {
    return new PreprocessSpec(size, Interpolation.BICUBIC, size, CLIP_MEAN, CLIP_STD);
  }

  /** Returns a copy of the per-channel mean. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** Returns a copy of the per-channel standard deviation. */
  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreprocessSpec that
        && resizeShortSide == that.resizeShortSide
        && interpolation == that.interpolation
        && cropSize == that.cropSize
        && Arrays.equals(mean, that.mean)
        && Arrays.equals(std, that.std);
  }

  @Override
  public int hashCode() {
    int h = 31 * resizeShortSide + interpolation.hashCode();
    h = 31 * h + cropSize;
    return 31 * (31 * h + Arrays.hashCode(mean)) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return String.format(
        "PreprocessSpec[resizeShortSide=%d, interpolation=%s, cropSize=%d, mean=%s, std=%s]",
        resizeShortSide, interpolation, cropSize, Arrays.toString(mean), Arrays.toString(std));
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  private static float[] requireThree(String name, float[] values) {
    requireNonNull(values, name);
    if (values.length != 3) {
      throw new IllegalArgumentException(
          name + ": length " + values.length + " (expected: 3, one per RGB channel)");
    }
    return values.clone();
  }
}
