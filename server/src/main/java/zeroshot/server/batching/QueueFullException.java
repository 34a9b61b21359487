package zeroshot.server.batching;

/** A batcher's queue cannot take a request's items: the caller should retry later. */
public final class QueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueueFullException(String queue, int queued, int requested, int capacity) {
    super(
        queue
            + " queue full: "
            + queued
            + " items waiting or being prepared, "
            + requested
            + " more requested, capacity "
            + capacity
            + "; retry later");
  }
}
