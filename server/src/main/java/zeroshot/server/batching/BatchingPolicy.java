package zeroshot.server.batching;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How one model's requests become batches, in Triton's vocabulary. Applies to each of the model's
 * encoders (image and text), which batch separately.
 *
 * @param maxBatchSize the most items one model call takes; 1 turns batching off
 * @param maxQueueDelay how long the oldest queued item may wait for a batch to fill
 * @param preferredBatchSizes sizes worth running at once without waiting for the delay (empty: only
 *     {@code maxBatchSize} is)
 * @param maxQueueItems items that may wait, per encoder; beyond it calls fail at once
 * @param workers threads calling the model, per encoder and per device (model replica)
 * @param batchWait when a batch that is not full waits for more items (default {@link
 *     BatchWait#ANNOUNCED})
 */
public record BatchingPolicy(
    int maxBatchSize,
    Duration maxQueueDelay,
    List<Integer> preferredBatchSizes,
    int maxQueueItems,
    int workers,
    BatchWait batchWait) {

  /**
   * CPU: batches of up to 8 after at most 2 ms, as many workers as cores. With one intra-op thread
   * per worker, batch 8 costs less per item than 32 on both the tiny model (222 vs 279 us per
   * image) and a ViT-B/32-sized one (shared/notes/djl-pytorch.md): larger batches only add wait.
   */
  public static final int CPU_MAX_BATCH_SIZE = 8;

  public static final Duration CPU_MAX_QUEUE_DELAY = Duration.ofMillis(2);

  /** GPU: batches of up to 64 after at most 5 ms, two workers (one runs, one prepares). */
  public static final int GPU_MAX_BATCH_SIZE = 64;

  public static final Duration GPU_MAX_QUEUE_DELAY = Duration.ofMillis(5);
  public static final int DEFAULT_MAX_QUEUE_ITEMS = 4_096;

  public static final BatchWait DEFAULT_WAIT = BatchWait.ANNOUNCED;

  /** A policy with the default {@link BatchWait}. */
  public BatchingPolicy(
      int maxBatchSize,
      Duration maxQueueDelay,
      List<Integer> preferredBatchSizes,
      int maxQueueItems,
      int workers) {
    this(maxBatchSize, maxQueueDelay, preferredBatchSizes, maxQueueItems, workers, DEFAULT_WAIT);
  }

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
    if (maxQueueItems < 1) {
      throw new IllegalArgumentException("maxQueueItems: " + maxQueueItems + " (expected: > 0)");
    }
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("workers: " + workers + " (expected: 1..64)");
    }
  }

  /** The documented default for a device with {@code cores} CPU cores or a GPU. */
  public static BatchingPolicy defaults(boolean gpu, int cores) {
    return gpu
        ? new BatchingPolicy(
            GPU_MAX_BATCH_SIZE, GPU_MAX_QUEUE_DELAY, List.of(), DEFAULT_MAX_QUEUE_ITEMS, 2)
        : new BatchingPolicy(
            CPU_MAX_BATCH_SIZE,
            CPU_MAX_QUEUE_DELAY,
            List.of(),
            DEFAULT_MAX_QUEUE_ITEMS,
            Math.max(1, cores));
  }

  /**
   * This policy for a model served by {@code replicas} devices: {@code workers} counts per device,
   * so the batcher gets that many per replica (at most 64 in all).
   */
  public BatchingPolicy withWorkersPerReplica(int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas: " + replicas + " (expected: >= 1)");
    }
    return new BatchingPolicy(
        maxBatchSize,
        maxQueueDelay,
        preferredBatchSizes,
        maxQueueItems,
        Math.min(64, workers * replicas),
        batchWait);
  }

  boolean isPreferred(int size) {
    return size == maxBatchSize || preferredBatchSizes.contains(size);
  }
}
