package zeroshot.server.batching;

/** Watches a batcher from the side (metrics, tests); never steers it. */
public interface BatchObserver {
  /** Why items left a queue without reaching the model. */
  enum Drop {
    QUEUE_FULL,
    DEADLINE,
    CANCELLED
  }

  /**
   * A batch ran (successfully or not).
   *
   * @param size items in the batch
   * @param oldestWaitNanos how long its oldest item waited in the queue
   * @param runNanos how long the model call took
   */
  void batch(int size, long oldestWaitNanos, long runNanos);

  void dropped(Drop reason, int items);

  /** Observes nothing. */
  BatchObserver NONE =
      new BatchObserver() {
        @Override
        public void batch(int size, long oldestWaitNanos, long runNanos) {}

        @Override
        public void dropped(Drop reason, int items) {}
      };
}
