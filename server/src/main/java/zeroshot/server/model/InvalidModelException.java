package zeroshot.server.model;

/**
 * A model directory that cannot be served: a manifest field out of range, a missing file, a
 * TorchScript without the declared method, a tokenizer that disagrees with the manifest.
 *
 * <p>The message always names the file, the field where there is one, the value found and what was
 * expected, e.g. {@code models/x/model.json: image.std[1]: 0.0 (expected: > 0)}.
 */
public final class InvalidModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
