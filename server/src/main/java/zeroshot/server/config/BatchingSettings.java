package zeroshot.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import zeroshot.server.batching.BatchWait;
import zeroshot.server.batching.BatchingPolicy;

/**
 * Batching options as configured; a null field means "the device's default" (see {@link
 * BatchingPolicy#defaults}). Server-wide values come from flags, per-model ones from the config
 * file ({@code model.NAME.max-batch-size=8}).
 */
public record BatchingSettings(
    Integer maxBatchSize,
    Duration maxQueueDelay,
    List<Integer> preferredBatchSizes,
    Integer maxQueueItems,
    Integer workers,
    BatchWait batchWait) {

  /** The options a model can override in the config file ({@code model.NAME.OPTION=value}). */
  public static final List<String> OPTIONS =
      List.of(
          "max-batch-size",
          "max-queue-delay",
          "preferred-batch-sizes",
          "max-queue-items",
          "batch-workers",
          "batch-wait");

  /** Every value from the device's defaults. */
  public static final BatchingSettings DEVICE_DEFAULTS =
      new BatchingSettings(null, null, null, null, null, null);

  /** Settings that leave {@link BatchWait} to the default. */
  public BatchingSettings(
      Integer maxBatchSize,
      Duration maxQueueDelay,
      List<Integer> preferredBatchSizes,
      Integer maxQueueItems,
      Integer workers) {
    this(maxBatchSize, maxQueueDelay, preferredBatchSizes, maxQueueItems, workers, null);
  }

  /** This, with the values {@code override} sets replacing ours. */
  public BatchingSettings overriddenBy(BatchingSettings override) {
    return new BatchingSettings(
        pick(override.maxBatchSize, maxBatchSize),
        pick(override.maxQueueDelay, maxQueueDelay),
        pick(override.preferredBatchSizes, preferredBatchSizes),
        pick(override.maxQueueItems, maxQueueItems),
        pick(override.workers, workers),
        pick(override.batchWait, batchWait));
  }

  /** The policy: these values where set, {@code defaults} elsewhere; validated. */
  public BatchingPolicy resolve(BatchingPolicy defaults) {
    return new BatchingPolicy(
        pick(maxBatchSize, defaults.maxBatchSize()),
        pick(maxQueueDelay, defaults.maxQueueDelay()),
        pick(preferredBatchSizes, defaults.preferredBatchSizes()),
        pick(maxQueueItems, defaults.maxQueueItems()),
        pick(workers, defaults.workers()),
        pick(batchWait, defaults.batchWait()));
  }

  /**
   * Reads one model's overrides from config-file entries (option name → text).
   *
   * @throws IllegalArgumentException naming the entry for an unknown option or a bad value
   */
  public static BatchingSettings parse(String model, Map<String, String> entries) {
    BatchingSettings s = DEVICE_DEFAULTS;
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String key = "model." + model + "." + e.getKey();
      String v = e.getValue().trim();
      try {
        s =
            s.overriddenBy(
                switch (e.getKey()) {
                  case "max-batch-size" ->
                      new BatchingSettings(Integer.parseInt(v), null, null, null, null);
                  case "max-queue-delay" ->
                      new BatchingSettings(
                          null, new DurationConverter().convert(v), null, null, null);
                  case "preferred-batch-sizes" ->
                      new BatchingSettings(null, null, parseInts(v), null, null);
                  case "max-queue-items" ->
                      new BatchingSettings(null, null, null, Integer.parseInt(v), null);
                  case "batch-workers" ->
                      new BatchingSettings(null, null, null, null, Integer.parseInt(v));
                  case "batch-wait" ->
                      new BatchingSettings(null, null, null, null, null, BatchWait.parse(v));
                  default ->
                      throw new IllegalArgumentException(
                          key
                              + ": unknown (nearest known option: "
                              + NearestKey.of(e.getKey(), OPTIONS)
                              + "; expected one of "
                              + String.join(", ", OPTIONS)
                              + ")");
                });
      } catch (RuntimeException ex) {
        if (ex.getMessage() != null && ex.getMessage().startsWith(key)) {
          throw ex;
        }
        throw new IllegalArgumentException(key + ": '" + v + "' (" + ex.getMessage() + ")", ex);
      }
    }
    return s;
  }

  private static List<Integer> parseInts(String v) {
    return v.isEmpty()
        ? List.of()
        : java.util.Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  private static <T> T pick(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }
}
