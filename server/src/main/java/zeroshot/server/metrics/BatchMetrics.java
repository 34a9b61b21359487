package zeroshot.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import zeroshot.server.batching.BatchObserver;
import zeroshot.server.batching.Batcher;

/**
 * One batcher's metrics: batch sizes, the oldest item's queue wait and the model time per batch
 * (histograms), queue depth and capacity (gauges), dropped items by reason (counter).
 */
public final class BatchMetrics implements BatchObserver {
  private final DistributionSummary sizes;
  private final Timer queueWait;
  private final Timer inference;
  private final Map<Drop, Counter> dropped = new EnumMap<>(Drop.class);

  public BatchMetrics(MeterRegistry registry, String model, String encoder) {
    Tags tags = Tags.of("model", model, "encoder", encoder);
    sizes =
        DistributionSummary.builder("zeroshot.batch.size")
            .description("Items per model call")
            .baseUnit("items")
            .tags(tags)
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .register(registry);
    queueWait =
        Timer.builder("zeroshot.batch.queue.wait")
            .description("Queue wait of the oldest item of each batch")
            .tags(tags)
            .serviceLevelObjectives(ServerMetrics.LATENCY_BUCKETS)
            .register(registry);
    inference =
        Timer.builder("zeroshot.batch.inference")
            .description("Model call time per batch")
            .tags(tags)
            .serviceLevelObjectives(ServerMetrics.LATENCY_BUCKETS)
            .register(registry);
    for (Drop reason : Drop.values()) {
      dropped.put(
          reason,
          Counter.builder("zeroshot.batch.dropped")
              .description("Items that left a queue without reaching the model, by reason")
              .baseUnit("items")
              .tags(tags.and("reason", reason.name().toLowerCase(Locale.ROOT)))
              .register(registry));
    }
  }

  /** Gauges of {@code batcher}'s queue depth and capacity. */
  public static void bindQueue(
      MeterRegistry registry, String model, String encoder, Batcher<?, ?> batcher) {
    Tags tags = Tags.of("model", model, "encoder", encoder);
    Gauge.builder("zeroshot.batch.queue.depth", batcher, Batcher::queued)
        .description("Items waiting for a batch")
        .baseUnit("items")
        .tags(tags)
        .register(registry);
    Gauge.builder("zeroshot.batch.queue.capacity", batcher, b -> b.queuePolicy().maxQueueItems())
        .description("Items the queue may hold before calls are refused")
        .baseUnit("items")
        .tags(tags)
        .register(registry);
  }

  @Override
  public void batch(int size, long oldestWaitNanos, long runNanos) {
    sizes.record(size);
    queueWait.record(oldestWaitNanos, TimeUnit.NANOSECONDS);
    inference.record(runNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void dropped(Drop reason, int items) {
    dropped.get(reason).increment(items);
  }
}
