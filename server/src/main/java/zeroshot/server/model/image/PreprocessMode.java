package zeroshot.server.model.image;

/**
 * How closely image decoding follows CLIP's reference preprocessing: bit-equal, or faster within a
 * few 8-bit levels.
 */
public enum PreprocessMode {
  /** Every image is decoded at full size, so tensors equal Pillow's (see {@link ImageDecoder}). */
  EXACT,

  /**
   * JPEGs are decoded straight to 1/2, 1/4 or 1/8 size with libjpeg's DCT scaling where both sides
   * stay at least twice the resize target (see {@link JpegScale}); the resize, crop and normalise
   * that follow are the exact ones. Other formats and raw pixels are decoded as in {@link #EXACT}.
   */
  FAST;

  /** Reads {@code exact} or {@code fast}, in any case. */
  public static PreprocessMode parse(String value) {
    for (PreprocessMode mode : values()) {
      if (mode.name().equalsIgnoreCase(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("preprocessMode: '" + value + "' (expected: exact or fast)");
  }
}
