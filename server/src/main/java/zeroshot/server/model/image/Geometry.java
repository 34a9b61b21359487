package zeroshot.server.model.image;

/**
 * Where the pixels of a model input come from: the resize that a model family applies to the whole
 * picture and what it keeps of the result.
 *
 * <p>{@link CenterCrop} is OpenAI CLIP's torchvision transform, which resizes an RGBA picture
 * before dropping its alpha. {@link Squash} and {@link Patches} follow Hugging Face transformers'
 * Pillow-based image processors, which convert to RGB (dropping alpha) before they resize.
 */
public sealed interface Geometry permits Geometry.CenterCrop, Geometry.Squash, Geometry.Patches {

  /** The size in pixels that a {@code width} × {@code height} picture is resized to. */
  Size resizedSize(int width, int height);

  /** The number of floats in one image's tensor. */
  int tensorLength();

  /** The side of the square model input in pixels, or 0 where the input is not one square. */
  int inputSize();

  /**
   * A width × height in pixels, each {@code > 0}.
   *
   * @param width columns
   * @param height rows
   */
  record Size(int width, int height) {
    /** Validates the sides. */
    public Size {
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException(
            "size: " + width + "x" + height + " (expected: both sides > 0)");
      }
    }
  }

  /**
   * OpenAI CLIP: resize the short side to {@code shortSide} (the long side in proportion,
   * truncated), then cut the centre {@code cropSize} × {@code cropSize}; the tensor is CHW.
   *
   * @param shortSide target length of the short side in pixels, {@code > 0}
   * @param cropSize side of the square centre crop in pixels, {@code > 0}
   */
  record CenterCrop(int shortSide, int cropSize) implements Geometry {
    /** Validates the sides and that the tensor length fits an array. */
    public CenterCrop {
      requirePositive("shortSide", shortSide);
      requirePositive("cropSize", cropSize);
      chwLength("cropSize", cropSize);
    }

    /**
     * torchvision's {@code Resize(shortSide)}: the short side (either, when square) becomes {@code
     * shortSide}, the long side Python's {@code int(shortSide * long / short)} (exact product,
     * correctly rounded division, truncation), capped at {@link Integer#MAX_VALUE}.
     */
    @Override
    public Size resizedSize(int width, int height) {
      return new Size(resizedLength(width, height), resizedLength(height, width));
    }

    private int resizedLength(int side, int other) {
      if (side <= other) {
        return shortSide;
      }
      return (int) Math.min((long) ((double) ((long) shortSide * side) / other), Integer.MAX_VALUE);
    }

    @Override
    public int tensorLength() {
      return 3 * cropSize * cropSize;
    }

    @Override
    public int inputSize() {
      return cropSize;
    }
  }

  /**
   * SigLIP and SigLIP 2 at a fixed resolution: the whole picture resized to {@code size} × {@code
   * size}, aspect ratio not kept, nothing cropped; the tensor is CHW.
   *
   * @param size side of the square model input in pixels, {@code > 0}
   */
  record Squash(int size) implements Geometry {
    /** Validates the side and that the tensor length fits an array. */
    public Squash {
      requirePositive("size", size);
      chwLength("size", size);
    }

    @Override
    public Size resizedSize(int width, int height) {
      return new Size(size, size);
    }

    @Override
    public int tensorLength() {
      return 3 * size * size;
    }

    @Override
    public int inputSize() {
      return size;
    }
  }

  /**
   * SigLIP 2 NaFlex: the picture resized to the largest multiple of {@code patchSize} on each side,
   * at about its own aspect ratio, that gives at most {@code maxPatches} patches (see {@link
   * NaFlexSize}), then cut into patches; the tensor layout is {@link NaFlexTensor}'s.
   *
   * @param patchSize side of a square patch in pixels, {@code > 0}
   * @param maxPatches patches per image tensor, real and padding, {@code > 0}
   */
  record Patches(int patchSize, int maxPatches) implements Geometry {
    /** Validates the sizes and that the tensor length fits an array. */
    public Patches {
      requirePositive("patchSize", patchSize);
      requirePositive("maxPatches", maxPatches);
      NaFlexTensor.length(patchSize, maxPatches);
    }

    @Override
    public Size resizedSize(int width, int height) {
      return NaFlexSize.of(width, height, patchSize, maxPatches);
    }

    @Override
    public int tensorLength() {
      return NaFlexTensor.length(patchSize, maxPatches);
    }

    @Override
    public int inputSize() {
      return 0;
    }
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  /** 3 · side², or an exception naming {@code name} when that does not fit an array. */
  private static int chwLength(String name, int side) {
    long length = 3L * side * side;
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          name + ": " + side + " (expected: 3 * " + name + "² <= " + Integer.MAX_VALUE + ")");
    }
    return (int) length;
  }
}
