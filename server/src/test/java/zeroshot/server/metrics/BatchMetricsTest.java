package zeroshot.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;
import zeroshot.server.batching.BatchWait;
import zeroshot.server.batching.Batcher;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.batching.TimeSource;

/** The batching metrics move as a known workload says they must. */
class BatchMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private long now;

  @Test
  void batchSizesWaitsDropsAndQueueDepthFollowTheWorkload() throws Exception {
    Batcher<String, String> b =
        new Batcher<>(
            "m-image",
            BatchingPolicy.of(4, Duration.ofMillis(10)).withBatchWait(BatchWait.ALWAYS),
            new QueuePolicy(6),
            inputs -> {
              now += 3_000_000; // each model call takes 3 ms on this clock
              return inputs;
            },
            new TimeSource() {
              @Override
              public long nanoTime() {
                return now;
              }

              @Override
              public void await(Condition condition, long nanos) {
                now += nanos;
              }
            },
            new BatchMetrics(registry, "m", "image"));
    BatchMetrics.bindQueue(registry, "m", "image", b);
    b.submit(List.of("a", "b", "c", "d", "e"), Long.MAX_VALUE);
    CompletableFuture<List<String>> refused = b.submit(List.of("x", "y"), Long.MAX_VALUE);
    CompletableFuture<List<String>> expired = b.submit(List.of("late"), 1);

    assertThat(registry.get("zeroshot.batch.queue.depth").gauge().value()).isEqualTo(6);
    b.runOnce(); // a b c d: full at once
    b.runOnce(); // e (+ late, expired): waits the rest of the 10 ms

    var sizes =
        registry.get("zeroshot.batch.size").tags("model", "m", "encoder", "image").summary();
    assertThat(sizes.count()).isEqualTo(2);
    assertThat(sizes.totalAmount()).isEqualTo(5);
    var inference = registry.get("zeroshot.batch.inference").timer();
    assertThat(inference.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6);
    var wait = registry.get("zeroshot.batch.queue.wait").timer();
    assertThat(wait.max(TimeUnit.MILLISECONDS)).isEqualTo(10); // "e" waited the full delay
    assertThat(dropped("queue_full")).isEqualTo(2);
    assertThat(dropped("deadline")).isEqualTo(1);
    assertThat(dropped("cancelled")).isZero();
    assertThat(registry.get("zeroshot.batch.queue.depth").gauge().value()).isZero();
    assertThat(registry.get("zeroshot.batch.queue.capacity").gauge().value()).isEqualTo(6);
    assertThat(refused).isCompletedExceptionally();
    assertThat(expired).isCompletedExceptionally();
  }

  private double dropped(String reason) {
    return registry.get("zeroshot.batch.dropped").tags("reason", reason).counter().count();
  }
}
