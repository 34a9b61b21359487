package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

/**
 * Turns a {@link DecodedImage} into a normalised model input tensor exactly as OpenAI CLIP's
 * reference transform does on a PIL image.
 *
 * <p>The steps are torchvision's {@code Resize(n)} on the short side (long side {@code int(n * long
 * / short)}, truncated) through {@link PillowResize}, {@code CenterCrop(crop)} with offsets {@code
 * int(round((size - crop) / 2.0))} (round half to even) and zero padding when the crop is larger,
 * {@code convert("RGB")} (alpha dropped after the resize), {@code / 255} and {@code (x - mean) /
 * std}, all in float32. Thread-safe: it holds only immutable state.
 */
public final class ImagePreprocessor {
  private final PreprocessSpec spec;

  /** Per channel, the normalised value of each 8-bit level, so the crop loop is one lookup. */
  private final float[][] levels = new float[3][256];

  /** Creates a preprocessor for {@code spec}. */
  public ImagePreprocessor(PreprocessSpec spec) {
    this.spec = requireNonNull(spec, "spec");
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        // Same float32 operations, in the same order, as ToTensor then Normalize.
        levels[c][v] = (v / 255f - mean[c]) / std[c];
      }
    }
  }

  /** Returns the spec this preprocessor applies. */
  public PreprocessSpec spec() {
    return spec;
  }

  /** Returns the image as {@code float[3 * cropSize * cropSize]}, channel-major (CHW). */
  public float[] toTensor(DecodedImage image) {
    requireNonNull(image, "image");
    int width = image.width();
    int height = image.height();
    // The full size, not the decoded one: a JPEG decoded at 1/2, 1/4 or 1/8 scale (fast mode) is
    // resized to what its exact decode would be. ceil(size / d) can change the aspect ratio enough
    // to move the truncated long side by a pixel, which shifts the whole crop.
    int fullWidth = image.fullWidth();
    int fullHeight = image.fullHeight();
    int n = spec.resizeShortSide();
    int outWidth = (int) Math.min(resizedLength(fullWidth, fullHeight, n), Integer.MAX_VALUE);
    int outHeight = (int) Math.min(resizedLength(fullHeight, fullWidth, n), Integer.MAX_VALUE);
    int channels = image.channels();
    int crop = spec.cropSize();
    int left = cropOffset(outWidth, crop);
    int top = cropOffset(outHeight, crop);
    // Only the part of the resized image that the crop keeps is computed.
    Window kept =
        new Window(
            Math.max(left, 0),
            Math.max(top, 0),
            Math.min(left + crop, outWidth),
            Math.min(top + crop, outHeight));
    byte[] resized =
        PillowResize.resize(
            image.pixels(),
            width,
            height,
            channels,
            outWidth,
            outHeight,
            spec.interpolation(),
            kept);
    return cropAndNormalise(resized, kept, left, top, channels);
  }

  /** {@code pixels} holds the resized image's {@code kept} window; the crop starts at left, top. */
  private float[] cropAndNormalise(byte[] pixels, Window kept, int left, int top, int channels) {
    int crop = spec.cropSize();
    int plane = crop * crop;
    float[] tensor = new float[3 * plane];
    for (int y = 0; y < crop; y++) {
      int sy = y + top;
      for (int x = 0; x < crop; x++) {
        int sx = x + left;
        boolean inside =
            sx >= kept.left() && sx < kept.right() && sy >= kept.top() && sy < kept.bottom();
        int i = ((sy - kept.top()) * kept.width() + (sx - kept.left())) * channels;
        for (int c = 0; c < 3; c++) {
          // torchvision pads a too-small image with 0 before cropping.
          int level = inside ? pixels[i + c] & 0xFF : 0;
          tensor[c * plane + y * crop + x] = levels[c][level];
        }
      }
    }
    return tensor;
  }

  /**
   * The length that torchvision's short-side {@code Resize(shortSide)} gives {@code side} of a
   * picture whose other side is {@code other}: {@code shortSide} for the short side (either, when
   * square), else Python's {@code int(shortSide * side / other)}: exact product, correctly rounded
   * division, truncation.
   */
  static long resizedLength(int side, int other, int shortSide) {
    if (side <= other) {
      return shortSide;
    }
    return (long) ((double) ((long) shortSide * side) / other);
  }

  /** Left or top edge of the crop in the resized image; negative means padding. */
  private static int cropOffset(int size, int crop) {
    if (crop > size) {
      return -((crop - size) / 2);
    }
    return (int) Math.rint((size - crop) / 2.0);
  }
}
