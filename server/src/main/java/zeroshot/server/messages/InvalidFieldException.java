package zeroshot.server.messages;

/**
 * A value the client sent that breaks a documented rule: a request field ({@code labels[3]}), an
 * input that does not decode ({@code images[2]}) or a label set field ({@code
 * label_set.labels[0].label}). {@link #field()} names it as the proto spells it; the message is
 * {@code "field: what was found (expected: ...)"}. The API reports it as INVALID_ARGUMENT with a
 * {@code google.rpc.BadRequest} naming the field, whichever package found the problem.
 */
public final class InvalidFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidFieldException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** A value that failed further on; the cause's message says what was wrong with it. */
  public InvalidFieldException(String field, Throwable cause) {
    super(field + ": " + cause.getMessage(), cause);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
