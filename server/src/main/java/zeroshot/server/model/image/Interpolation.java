package zeroshot.server.model.image;

/**
 * Resampling filter for the short-side resize, named after the Pillow filter it reproduces.
 *
 * <p>OpenAI CLIP uses {@link #BICUBIC}. {@link #BILINEAR} and {@link #BICUBIC} are Pillow's
 * antialiased convolution filters (support 1 and 2 input pixels, widened by the downscale factor);
 * {@link #NEAREST} is Pillow's nearest-neighbour scaling, with no antialiasing.
 */
public enum Interpolation {
  /** {@code PIL.Image.Resampling.NEAREST}. */
  NEAREST,
  /** {@code PIL.Image.Resampling.BILINEAR}: triangle filter, support 1. */
  BILINEAR,
  /** {@code PIL.Image.Resampling.BICUBIC}: Keys cubic with a = -0.5, support 2. */
  BICUBIC
}
