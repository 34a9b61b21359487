package zeroshot.server.model.image;

/**
 * The layout of a SigLIP 2 NaFlex image tensor, one {@code float[]} per image, from which a model
 * runtime builds {@code pixel_values} [B, P, 3p²], {@code pixel_attention_mask} [B, P] and {@code
 * spatial_shapes} [B, 2].
 *
 * <p>The array holds {@code maxPatches} patch vectors of {@link #patchLength 3p²} floats from
 * {@link #PATCH_DATA_OFFSET}: the {@link #patches real} ones first, in row-major patch order (every
 * patch of the top patch row, then the next row), then all-zero padding; each patch is flattened as
 * (row within the patch, column within the patch, RGB channel). The last two floats are the number
 * of patch rows and of patch columns, exact small integers. So the mask is 1 for the first {@code
 * rows · columns} patches and 0 after, and {@code spatial_shapes} is (rows, columns).
 */
public final class NaFlexTensor {
  /** Where the first patch vector starts. */
  public static final int PATCH_DATA_OFFSET = 0;

  /** The floats after the patch data: patch rows, then patch columns. */
  private static final int TRAILER = 2;

  /** The largest side whose patch vector, 3 · side², fits an {@code int}. */
  private static final int MAX_PATCH_SIZE = 26_754;

  private NaFlexTensor() {}

  /**
   * Returns the length of one image's tensor, {@code maxPatches · 3 · patchSize² + 2}.
   *
   * @throws IllegalArgumentException when a size is not positive or the length does not fit an
   *     array
   */
  public static int length(int patchSize, int maxPatches) {
    if (patchSize <= 0 || maxPatches <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "patchSize: %d, maxPatches: %d (expected: both > 0)", patchSize, maxPatches));
    }
    // Above MAX_PATCH_SIZE even one patch vector is too long, and 3 · patchSize² overflows.
    if (patchSize > MAX_PATCH_SIZE
        || (long) maxPatches * patchLength(patchSize) + TRAILER > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          String.format(
              "patchSize: %d, maxPatches: %d (expected: maxPatches * 3 * patchSize² + 2 <= %d)",
              patchSize, maxPatches, Integer.MAX_VALUE));
    }
    return maxPatches * patchLength(patchSize) + TRAILER;
  }

  /** Returns the floats in one patch vector, {@code 3 · patchSize²}. */
  public static int patchLength(int patchSize) {
    return 3 * patchSize * patchSize;
  }

  /** Returns the number of patch rows in {@code tensor}. */
  public static int rows(float[] tensor) {
    return count(tensor, tensor.length - TRAILER, "rows");
  }

  /** Returns the number of patch columns in {@code tensor}. */
  public static int columns(float[] tensor) {
    return count(tensor, tensor.length - 1, "columns");
  }

  /** Returns the number of real (not padding) patches in {@code tensor}: rows · columns. */
  public static int patches(float[] tensor) {
    return rows(tensor) * columns(tensor);
  }

  /** Returns the number of patch vectors, real and padding, in a tensor of {@code patchSize}. */
  public static int maxPatches(float[] tensor, int patchSize) {
    int data = tensor.length - TRAILER;
    if (data <= 0 || data % patchLength(patchSize) != 0) {
      throw new IllegalArgumentException(
          String.format(
              "tensor: %d floats (expected: a multiple of 3 * %d² plus 2)",
              tensor.length, patchSize));
    }
    return data / patchLength(patchSize);
  }

  /**
   * Fills a tensor from {@code pixels}, a {@code width} × {@code height} RGB image whose sides are
   * multiples of {@code patchSize}, mapping each 8-bit level through {@code levels[channel]}.
   */
  static float[] pack(
      byte[] pixels, int width, int height, int patchSize, int maxPatches, float[][] levels) {
    int rows = height / patchSize;
    int columns = width / patchSize;
    float[] tensor = new float[length(patchSize, maxPatches)];
    int o = PATCH_DATA_OFFSET;
    for (int pr = 0; pr < rows; pr++) {
      for (int pc = 0; pc < columns; pc++) {
        for (int y = pr * patchSize; y < (pr + 1) * patchSize; y++) {
          // One patch row is patchSize consecutive RGB pixels: (column, channel) in memory order.
          int i = (y * width + pc * patchSize) * 3;
          for (int end = i + patchSize * 3; i < end; i += 3) {
            tensor[o++] = levels[0][pixels[i] & 0xFF];
            tensor[o++] = levels[1][pixels[i + 1] & 0xFF];
            tensor[o++] = levels[2][pixels[i + 2] & 0xFF];
          }
        }
      }
    }
    // The padding patches stay 0, as transformers pads them after normalising.
    tensor[tensor.length - 2] = rows;
    tensor[tensor.length - 1] = columns;
    return tensor;
  }

  private static int count(float[] tensor, int index, String what) {
    if (tensor.length < TRAILER + 1) {
      throw new IllegalArgumentException(
          "tensor: " + tensor.length + " floats (expected: patch data, then rows and columns)");
    }
    float value = tensor[index];
    if (!(value >= 1) || value != (int) value) {
      throw new IllegalArgumentException(
          what + ": " + value + " (expected: a whole number >= 1; not a NaFlex tensor?)");
    }
    return (int) value;
  }
}
