package zeroshot.server.inference;

/**
 * Every inference thread is busy and the queue is full, or the server has as many calls in flight
 * as it takes: the request was not accepted.
 */
public final class OverloadedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OverloadedException(int running, int queued) {
    this(
        "server at capacity: "
            + running
            + " requests running and "
            + queued
            + " queued; retry later");
  }

  private OverloadedException(String message) {
    super(message);
  }

  /** The server already has {@code limit} calls that ask for model work in flight. */
  public static OverloadedException callsInFlight(int limit) {
    return new OverloadedException(
        "server at capacity: "
            + limit
            + " calls in flight, the most it takes (preprocess threads + max queued requests);"
            + " retry later");
  }
}
