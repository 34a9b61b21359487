package zeroshot.server.api;

/**
 * A request that breaks a documented rule. {@link #field()} names the offending field as the proto
 * spells it (e.g. {@code labels[3]}); the message says what was found and expected.
 */
public final class InvalidRequestException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidRequestException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
