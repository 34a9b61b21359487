package zeroshot.client;

/**
 * The outcome of a {@link ZeroShotClient#classifyStream classifyStream} call that ended normally:
 * every item sent was answered, either with a classification or with a per-item error.
 *
 * @param sent the number of items sent; {@code succeeded + failed}
 * @param succeeded the number of items answered with a {@code ClassifyResponse}
 * @param failed the number of items answered with an {@code error}
 */
public record StreamSummary(long sent, long succeeded, long failed) {

  /** Checks the counts. */
  public StreamSummary {
    if (succeeded < 0 || failed < 0 || sent != succeeded + failed) {
      throw new IllegalArgumentException(
          "counts: sent "
              + sent
              + ", succeeded "
              + succeeded
              + ", failed "
              + failed
              + " (expected: sent = succeeded + failed, none negative)");
    }
  }
}
