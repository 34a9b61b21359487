package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

import zeroshot.server.model.image.Geometry.Size;

/**
 * Turns a {@link DecodedImage} into a normalised model input tensor exactly as the model family's
 * reference preprocessing does on a PIL image.
 *
 * <p>For {@link Geometry.CenterCrop} (OpenAI CLIP) the steps are torchvision's {@code Resize(n)} on
 * the short side through {@link PillowResize}, {@code CenterCrop(crop)} with offsets {@code
 * int(round((size - crop) / 2.0))} (round half to even) and zero padding when the crop is larger,
 * {@code convert("RGB")} (alpha dropped after the resize), {@code / 255} and {@code (x - mean) /
 * std}, all in float32; the tensor is CHW. For {@link Geometry.Squash} (SigLIP) and {@link
 * Geometry.Patches} (SigLIP 2 NaFlex) the steps are transformers': {@code convert("RGB")} first,
 * one Pillow resize of the whole picture to the geometry's size, {@code * (1 / 255)} in float64
 * cast to float32, then {@code (x - mean) / std} in float32; the tensor is CHW for a squash and
 * {@link NaFlexTensor}'s layout for patches. Thread-safe: it holds only immutable state.
 */
public final class ImagePreprocessor {
  private final PreprocessSpec spec;

  /** Per channel, the normalised value of each 8-bit level, so every pixel is one lookup. */
  private final float[][] levels = new float[3][256];

  /** Creates a preprocessor for {@code spec}. */
  public ImagePreprocessor(PreprocessSpec spec) {
    this.spec = requireNonNull(spec, "spec");
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        // Same float32 operations, in the same order, as ToTensor then Normalize. transformers
        // rescales by (float) (v * (1.0 / 255)) instead; that equals v / 255f for all 256 levels
        // (ImagePreprocessorTest checks), so both families share this table.
        levels[c][v] = (v / 255f - mean[c]) / std[c];
      }
    }
  }

  /** Returns the spec this preprocessor applies. */
  public PreprocessSpec spec() {
    return spec;
  }

  /** Returns the image as {@code float[spec().tensorLength()]}, laid out as described above. */
  public float[] toTensor(DecodedImage image) {
    requireNonNull(image, "image");
    // The full size, not the decoded one: a JPEG decoded at 1/2, 1/4 or 1/8 scale (fast mode) is
    // resized to what its exact decode would be. ceil(size / d) can change the aspect ratio enough
    // to move a rounded side by a pixel, which shifts the whole crop or changes the patch grid.
    Geometry geometry = spec.geometry();
    Size out = geometry.resizedSize(image.fullWidth(), image.fullHeight());
    if (geometry instanceof Geometry.CenterCrop crop) {
      return centerCrop(image, out, crop.cropSize());
    }
    byte[] resized =
        PillowResize.resize(
            rgb(image),
            image.width(),
            image.height(),
            3,
            out.width(),
            out.height(),
            spec.interpolation(),
            Window.all(out.width(), out.height()));
    if (geometry instanceof Geometry.Patches patches) {
      return NaFlexTensor.pack(
          resized, out.width(), out.height(), patches.patchSize(), patches.maxPatches(), levels);
    }
    return channelMajor(resized, out.width() * out.height());
  }

  private float[] centerCrop(DecodedImage image, Size out, int crop) {
    int channels = image.channels();
    int left = cropOffset(out.width(), crop);
    int top = cropOffset(out.height(), crop);
    // Only the part of the resized image that the crop keeps is computed.
    Window kept =
        new Window(
            Math.max(left, 0),
            Math.max(top, 0),
            Math.min(left + crop, out.width()),
            Math.min(top + crop, out.height()));
    byte[] resized =
        PillowResize.resize(
            image.pixels(),
            image.width(),
            image.height(),
            channels,
            out.width(),
            out.height(),
            spec.interpolation(),
            kept);
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
          int level = inside ? resized[i + c] & 0xFF : 0;
          tensor[c * plane + y * crop + x] = levels[c][level];
        }
      }
    }
    return tensor;
  }

  /** Interleaved RGB {@code pixels} as a CHW tensor. */
  private float[] channelMajor(byte[] pixels, int plane) {
    float[] tensor = new float[3 * plane];
    for (int p = 0, i = 0; p < plane; p++, i += 3) {
      tensor[p] = levels[0][pixels[i] & 0xFF];
      tensor[plane + p] = levels[1][pixels[i + 1] & 0xFF];
      tensor[2 * plane + p] = levels[2][pixels[i + 2] & 0xFF];
    }
    return tensor;
  }

  /** Pillow's {@code convert("RGB")}: RGBA loses its alpha channel, nothing is composited. */
  private static byte[] rgb(DecodedImage image) {
    byte[] pixels = image.pixels();
    if (!image.hasAlpha()) {
      return pixels;
    }
    byte[] rgb = new byte[pixels.length / 4 * 3];
    for (int i = 0, o = 0; i < pixels.length; i += 4, o += 3) {
      rgb[o] = pixels[i];
      rgb[o + 1] = pixels[i + 1];
      rgb[o + 2] = pixels[i + 2];
    }
    return rgb;
  }

  /** Left or top edge of the crop in the resized image; negative means padding. */
  private static int cropOffset(int size, int crop) {
    if (crop > size) {
      return -((crop - size) / 2);
    }
    return (int) Math.rint((size - crop) / 2.0);
  }
}
