package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * How an image becomes a model input: resize with {@code interpolation} and keep what {@code
 * geometry} says, scale to [0, 1], then subtract {@code mean} and divide by {@code std} per RGB
 * channel.
 *
 * <p>The arrays are copied in and out, so a spec is immutable and safe to share.
 *
 * @param geometry the resize and what is kept of it
 * @param interpolation resampling filter of the resize
 * @param mean per-channel (R, G, B) mean on the [0, 1] scale, 3 finite values
 * @param std per-channel (R, G, B) standard deviation on the [0, 1] scale, 3 positive values
 */
public record PreprocessSpec(
    Geometry geometry, Interpolation interpolation, float[] mean, float[] std) {

  /** OpenAI CLIP's normalisation mean, from {@code clip/clip.py}. */
  private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

  /** OpenAI CLIP's normalisation standard deviation, from {@code clip/clip.py}. */
  private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  /**
   * SigLIP's and SigLIP 2's mean and standard deviation per channel (transformers'
   * IMAGENET_STANDARD_MEAN and _STD), mapping [0, 1] to [-1, 1].
   */
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  /** Validates and copies the arguments. */
  public PreprocessSpec {
    requireNonNull(geometry, "geometry");
    requireNonNull(interpolation, "interpolation");
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

  /**
   * A CLIP-style spec: resize the short side to {@code resizeShortSide}, centre-crop {@code
   * cropSize} × {@code cropSize}.
   */
  public PreprocessSpec(
      int resizeShortSide, Interpolation interpolation, int cropSize, float[] mean, float[] std) {
    this(new Geometry.CenterCrop(resizeShortSide, cropSize), interpolation, mean, std);
  }

  /** Returns OpenAI CLIP's preprocessing for a {@code size} × {@code size} model input. */
  public static PreprocessSpec openAiClip(int size) {
    return new PreprocessSpec(size, Interpolation.BICUBIC, size, CLIP_MEAN, CLIP_STD);
  }

  /**
   * Returns SigLIP's preprocessing ({@code SiglipImageProcessor}'s defaults): the whole picture
   * resized bicubically to {@code size} × {@code size}, mean and std 0.5.
   */
  public static PreprocessSpec siglip(int size) {
    return new PreprocessSpec(new Geometry.Squash(size), Interpolation.BICUBIC, HALF, HALF);
  }

  /**
   * Returns the preprocessing of SigLIP 2's fixed-resolution checkpoints: as {@link #siglip} but
   * bilinear.
   */
  public static PreprocessSpec siglip2(int size) {
    return new PreprocessSpec(new Geometry.Squash(size), Interpolation.BILINEAR, HALF, HALF);
  }

  /**
   * Returns SigLIP 2 NaFlex's preprocessing ({@code Siglip2ImageProcessor}): a bilinear resize to
   * at most {@code maxPatches} patches of {@code patchSize} pixels, mean and std 0.5.
   */
  public static PreprocessSpec siglip2NaFlex(int patchSize, int maxPatches) {
    return new PreprocessSpec(
        new Geometry.Patches(patchSize, maxPatches), Interpolation.BILINEAR, HALF, HALF);
  }

  /** Returns the number of floats in one image's tensor. */
  public int tensorLength() {
    return geometry.tensorLength();
  }

  /** Returns the side of the square model input in pixels; 0 for {@link Geometry.Patches}. */
  public int inputSize() {
    return geometry.inputSize();
  }

  /**
   * Returns the short-side resize target of a {@link Geometry.CenterCrop} spec.
   *
   * @throws IllegalStateException for any other geometry
   */
  public int resizeShortSide() {
    return centerCrop("resizeShortSide").shortSide();
  }

  /**
   * Returns the crop side of a {@link Geometry.CenterCrop} spec.
   *
   * @throws IllegalStateException for any other geometry
   */
  public int cropSize() {
    return centerCrop("cropSize").cropSize();
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
        && geometry.equals(that.geometry)
        && interpolation == that.interpolation
        && Arrays.equals(mean, that.mean)
        && Arrays.equals(std, that.std);
  }

  @Override
  public int hashCode() {
    int h = 31 * geometry.hashCode() + interpolation.hashCode();
    return 31 * (31 * h + Arrays.hashCode(mean)) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return String.format(
        "PreprocessSpec[geometry=%s, interpolation=%s, mean=%s, std=%s]",
        geometry, interpolation, Arrays.toString(mean), Arrays.toString(std));
  }

  private Geometry.CenterCrop centerCrop(String accessor) {
    if (geometry instanceof Geometry.CenterCrop crop) {
      return crop;
    }
    throw new IllegalStateException(
        accessor + "() of " + geometry + " (expected: a CenterCrop geometry)");
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
