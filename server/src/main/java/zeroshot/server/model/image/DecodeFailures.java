package zeroshot.server.model.image;

import java.io.EOFException;
import java.util.Locale;
import zeroshot.server.model.image.InvalidImageException.Reason;

/** Tells a cut-off file from a malformed one, from what the ImageIO readers report. */
final class DecodeFailures {
  private DecodeFailures() {}

  /** Maps an exception thrown while reading the {@code part} ("header", "data") of an image. */
  static InvalidImageException of(String format, String part, Exception e) {
    boolean truncated = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      truncated |= t instanceof EOFException || looksTruncated(t.getMessage());
    }
    String name = format.toUpperCase(Locale.ROOT);
    Reason reason = truncated ? Reason.TRUNCATED : Reason.CORRUPT;
    String expected = truncated ? "a complete file" : "a well-formed " + name + " file";
    return new InvalidImageException(
        reason,
        String.format(
            "%s %s could not be decoded: %s (expected: %s)", name, part, describe(e), expected),
        e);
  }

  /** Joins the messages along the cause chain: readers wrap the telling one. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      if (text.indexOf(message) < 0) {
        text.append(text.length() == 0 ? "" : ": ").append(message);
      }
    }
    return text.toString();
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
