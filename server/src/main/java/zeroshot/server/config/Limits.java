package zeroshot.server.config;

/**
 * What one request may ask of the server. Every limit is enforced with {@code INVALID_ARGUMENT} (or
 * by the transport, for the message size) and documented in the proto.
 *
 * @param maxImageBytes bytes of one image, encoded or raw
 * @param maxImagePixels width × height of one image, read from the header before decoding
 * @param maxLabels candidate labels in one Classify call
 * @param maxLabelChars characters (code points) of one label, before the prompt template
 * @param maxTextChars characters of one text input (Classify text, EmbedTexts item)
 * @param maxBatchItems images or texts in one Embed call
 * @param maxMessageBytes bytes of one inbound gRPC message
 */
public record Limits(
    int maxImageBytes,
    long maxImagePixels,
    int maxLabels,
    int maxLabelChars,
    int maxTextChars,
    int maxBatchItems,
    int maxMessageBytes) {

  public static final int DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024;
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 40_000_000L;
  public static final int DEFAULT_MAX_LABELS = 1_000;
  public static final int DEFAULT_MAX_LABEL_CHARS = 256;
  public static final int DEFAULT_MAX_TEXT_CHARS = 2_048;
  public static final int DEFAULT_MAX_BATCH_ITEMS = 256;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

  public Limits {
    positive("maxImageBytes", maxImageBytes);
    positive("maxImagePixels", maxImagePixels);
    positive("maxLabels", maxLabels);
    positive("maxLabelChars", maxLabelChars);
    positive("maxTextChars", maxTextChars);
    positive("maxBatchItems", maxBatchItems);
    positive("maxMessageBytes", maxMessageBytes);
  }

  /** The documented defaults. */
  public static Limits defaults() {
    return new Limits(
        DEFAULT_MAX_IMAGE_BYTES,
        DEFAULT_MAX_IMAGE_PIXELS,
        DEFAULT_MAX_LABELS,
        DEFAULT_MAX_LABEL_CHARS,
        DEFAULT_MAX_TEXT_CHARS,
        DEFAULT_MAX_BATCH_ITEMS,
        DEFAULT_MAX_MESSAGE_BYTES);
  }

  static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
