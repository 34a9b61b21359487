package zeroshot.server.model;

/**
 * The model failed while running a batch (a native error, an output of the wrong shape). The
 * batch's requests fail; the model and the server stay up. The API reports it as {@code INTERNAL}
 * without the details, which go to the log.
 */
public final class ModelExecutionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelExecutionException(String message, Throwable cause) {
    super(message, cause);
  }

  public ModelExecutionException(String message) {
    super(message);
  }
}
