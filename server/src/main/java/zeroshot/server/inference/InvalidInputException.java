package zeroshot.server.inference;

/**
 * An input the model cannot take, found while processing it (an image that does not decode). {@link
 * #field()} names the input as the request does, e.g. {@code images[2]}.
 */
public final class InvalidInputException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidInputException(String field, Throwable cause) {
    super(field + ": " + cause.getMessage(), cause);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
