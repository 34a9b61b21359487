package zeroshot.server.labels;

/** A label set definition that breaks a documented rule; {@link #field()} names the field. */
public final class InvalidLabelSetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidLabelSetException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
