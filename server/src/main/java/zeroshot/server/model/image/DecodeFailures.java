package zeroshot.server.model.image;

import java.io.EOFException;
import java.util.Locale;
import java.util.regex.Pattern;
import zeroshot.server.messages.Echo;
import zeroshot.server.model.image.InvalidImageException.Reason;

/**
 * Tells a cut-off file from a malformed one, from what the ImageIO readers report, and says so in
 * words: a client learns what is wrong with its bytes, not which Java exception the reader threw.
 */
final class DecodeFailures {
  /**
   * A Java class name such as {@code javax.imageio.IIOException: } or {@code EOFException}: readers
   * that wrap a cause put its {@code toString()} in their message.
   */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

  /** Characters of the readers' own words kept in a message. */
  private static final int MAX_DETAIL_CHARS = 200;

  private DecodeFailures() {}

  /** Maps an exception thrown while reading the {@code part} ("header", "data") of an image. */
  static InvalidImageException of(String format, String part, Exception e) {
    boolean truncated = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      truncated |= t instanceof EOFException || looksTruncated(t.getMessage());
    }
    String name = format.toUpperCase(Locale.ROOT);
    if (truncated) {
      return truncated(name, part, e);
    }
    String detail = describe(e);
    return new InvalidImageException(
        Reason.CORRUPT,
        String.format(
            "not a valid %s: the %s could not be decoded%s (expected: a well-formed %s file)",
            name, part, detail.isEmpty() ? "" : " (" + detail + ")", name),
        e);
  }

  /** The file ends before its {@code part} does. */
  static InvalidImageException truncated(String name, String part, Throwable cause) {
    return new InvalidImageException(
        Reason.TRUNCATED,
        String.format(
            "truncated image data: the %s %s ends early (expected: a complete file)", name, part),
        cause);
  }

  /** Joins the readers' messages along the cause chain (they wrap the telling one). */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message =
          t.getMessage() == null ? "" : CLASS_NAME.matcher(t.getMessage()).replaceAll("").strip();
      if (!message.isEmpty() && text.indexOf(message) < 0) {
        text.append(text.length() == 0 ? "" : ": ").append(message);
      }
    }
    return Echo.value(text.toString(), MAX_DETAIL_CHARS);
  }

  /**
   * Whether a reader's warning or error message means the stream ended early. The JDK PNG reader
   * reports a cut-off chunk as "Invalid chunk length" (longer than what is left of the stream); the
   * JPEG readers warn "Premature end of JPEG file" or "Truncated File - Missing EOI marker".
   */
  static boolean looksTruncated(String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("premature end")
        || m.contains("truncated")
        || m.contains("unexpected end")
        || m.contains("eof")
        || m.contains("invalid chunk length");
  }
}
