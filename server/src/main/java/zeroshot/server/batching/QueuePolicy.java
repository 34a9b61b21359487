package zeroshot.server.batching;

/**
 * How many items may wait for a batch, per encoder: beyond it calls fail at once with {@link
 * QueueFullException} instead of queueing without bound. Kept apart from {@link BatchingPolicy}, as
 * Triton keeps {@code ModelQueuePolicy} apart from {@code ModelDynamicBatching}: one says how
 * batches form, the other how much load is accepted while they do.
 *
 * @param maxQueueItems items that may wait (queued or announced), per encoder
 */
public record QueuePolicy(int maxQueueItems) {

  /** The same on CPU and GPU: 4,096 items per encoder. */
  public static final int DEFAULT_MAX_QUEUE_ITEMS = 4_096;

  public static final QueuePolicy DEFAULT = new QueuePolicy(DEFAULT_MAX_QUEUE_ITEMS);

  public QueuePolicy {
    if (maxQueueItems < 1) {
      throw new IllegalArgumentException("maxQueueItems: " + maxQueueItems + " (expected: > 0)");
    }
  }
}
