package zeroshot.server.inference;

/** Every inference thread is busy and the queue is full: the request was not accepted. */
public final class OverloadedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OverloadedException(int running, int queued) {
    super(
        "server at capacity: "
            + running
            + " requests running and "
            + queued
            + " queued; retry later");
  }
}
