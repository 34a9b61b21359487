package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

/**
 * The client sent bytes or raw pixels that cannot be turned into an image.
 *
 * <p>Checked because it is an expected outcome of untrusted input: the API layer maps it to {@code
 * INVALID_ARGUMENT}. {@link #getMessage()} says what was wrong and what was expected.
 */
public final class InvalidImageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the image was refused. */
  public enum Reason {
    /** Zero bytes. */
    EMPTY,
    /** No image reader recognises the bytes. */
    NOT_AN_IMAGE,
    /** A real image format, but not one of JPEG, PNG, GIF, BMP or WebP. */
    UNSUPPORTED_FORMAT,
    /** The stream ends before the image data does. */
    TRUNCATED,
    /** The header was readable but the image data is malformed. */
    CORRUPT,
    /** The declared width × height exceeds the decoder's limit; nothing was decoded. */
    TOO_MANY_PIXELS,
    /** Raw pixels whose dimensions, channel count or length do not agree. */
    BAD_RAW_PIXELS
  }

  private final Reason reason;

  /** Creates an exception; {@code message} should end with "(expected: ...)". */
  public InvalidImageException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** Creates an exception caused by a decoder failure. */
  public InvalidImageException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = requireNonNull(reason, "reason");
  }

  /** Returns why the image was refused. */
  public Reason reason() {
    return reason;
  }
}
