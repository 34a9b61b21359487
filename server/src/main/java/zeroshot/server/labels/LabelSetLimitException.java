package zeroshot.server.labels;

/** The server already holds as many label sets as it may: delete one first. */
public final class LabelSetLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LabelSetLimitException(int max) {
    super(
        "label sets: "
            + max
            + " held (expected: at most "
            + max
            + "; delete one or raise --max-label-sets)");
  }
}
