package zeroshot.server.batching;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How one model's requests become batches, in Triton's vocabulary. Applies to each of the model's
 * encoders (image and text), which batch separately. How many items may wait is the {@link
 * QueuePolicy}'s business, not this one's. Build one with {@link #of} and the {@code with...}
 * methods rather than the long constructor.
 *
 * @param maxBatchSize the most items one model call takes; 1 turns batching off
 * @param maxQueueDelay how long the oldest queued item may wait for a batch to fill
 * @param preferredBatchSizes sizes worth running at once without waiting for the delay (empty: only
 *     {@code maxBatchSize} is)
 * @param workers threads calling the model, per encoder and per device (model replica)
 * @param batchWait when a batch that is not full waits for more items (default {@link
 *     BatchWait#ANNOUNCED})
 */
public record BatchingPolicy(
    int maxBatchSize,
    Duration maxQueueDelay,
    List<Integer> preferredBatchSizes,
    int workers,
    BatchWait batchWait) {

  /**
   * CPU: batches of up to 8 after at most 2 ms, as many workers as cores. With one intra-op thread
   * per worker, batch 8 costs less per item than 32 on both the tiny model (222 vs 279 us per
   * image) and a ViT-B/32-sized one (DJL 0.33 on 2 cores: 14.8 images/s at batch 8, 11.7 at 32):
   * larger batches only add wait.
   */
  public static final int CPU_MAX_BATCH_SIZE = 8;

  public static final Duration CPU_MAX_QUEUE_DELAY = Duration.ofMillis(2);

  /** GPU: batches of up to 64 after at most 5 ms, two workers (one runs, one prepares). */
  public static final int GPU_MAX_BATCH_SIZE = 64;

  public static final Duration GPU_MAX_QUEUE_DELAY = Duration.ofMillis(5);

  public static final int GPU_WORKERS = 2;

  /** Both devices: a batch that is not full waits only for announced items. */
  public static final BatchWait DEFAULT_WAIT = BatchWait.ANNOUNCED;

  public BatchingPolicy {
    requireNonNull(maxQueueDelay, "maxQueueDelay");
    requireNonNull(batchWait, "batchWait");
    preferredBatchSizes = List.copyOf(preferredBatchSizes);
    if (maxBatchSize < 1 || maxBatchSize > 4_096) {
      throw new IllegalArgumentException("maxBatchSize: " + maxBatchSize + " (expected: 1..4096)");
    }
    if (maxQueueDelay.isNegative() || maxQueueDelay.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException(
          "maxQueueDelay: " + maxQueueDelay.toMillis() + " ms (expected: 0 to 10000 ms)");
    }
    for (int size : preferredBatchSizes) {
      if (size < 1 || size > maxBatchSize) {
        throw new IllegalArgumentException(
            "preferredBatchSizes: "
                + size
                + " (expected: 1.."
                + maxBatchSize
                + ", within maxBatchSize)");
      }
    }
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("workers: " + workers + " (expected: 1..64)");
    }
  }

  /**
   * Batches of up to {@code maxBatchSize} after at most {@code maxQueueDelay}, no preferred sizes,
   * one worker, the default {@link BatchWait}; change the rest with the {@code with...} methods.
   */
  public static BatchingPolicy of(int maxBatchSize, Duration maxQueueDelay) {
    return new BatchingPolicy(maxBatchSize, maxQueueDelay, List.of(), 1, DEFAULT_WAIT);
  }

  public BatchingPolicy withPreferredBatchSizes(List<Integer> sizes) {
    return new BatchingPolicy(maxBatchSize, maxQueueDelay, sizes, workers, batchWait);
  }

  public BatchingPolicy withWorkers(int count) {
    return new BatchingPolicy(maxBatchSize, maxQueueDelay, preferredBatchSizes, count, batchWait);
  }

  public BatchingPolicy withBatchWait(BatchWait wait) {
    return new BatchingPolicy(maxBatchSize, maxQueueDelay, preferredBatchSizes, workers, wait);
  }

  /**
   * This policy for a model served by {@code replicas} devices: {@code workers} counts per device,
   * so the batcher gets that many per replica (at most 64 in all).
   */
  public BatchingPolicy withWorkersPerReplica(int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas: " + replicas + " (expected: >= 1)");
    }
    return withWorkers(Math.min(64, workers * replicas));
  }

  boolean isPreferred(int size) {
    return size == maxBatchSize || preferredBatchSizes.contains(size);
  }
}
