package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static zeroshot.client.bench.TestLimits.limits;

import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The closed loop's bounds and counts, on a fake clock and a sender that answers at once. */
class ClosedLoopTest {

  private final FakeClock clock = new FakeClock();

  /** Each call takes 1 ms of fake time and succeeds. */
  private final Sender oneMillisecond =
      sequence -> {
        clock.advanceMillis(1);
        return CompletableFuture.completedFuture(null);
      };

  @Test
  void stopsAtTheDurationAndLeavesTheWarmUpOut() {
    StepResult result =
        new ClosedLoop(oneMillisecond, clock)
            .run(1, limits(1_000, 2_000, 1_000_000), ProgressListener.NONE);

    assertThat(result.sent()).isEqualTo(2_000);
    assertThat(result.ok()).isEqualTo(2_000);
    assertThat(result.seconds()).isEqualTo(2.0);
    assertThat(result.throughput()).isEqualTo(1_000.0);
    assertThat(result.latency().count()).isEqualTo(2_000);
    assertThat(result.latency().p50Ms()).isEqualTo(1.0);
    assertThat(result.latency().maxMs()).isEqualTo(1.0);
    assertThat(result.errors()).isEmpty();
    assertThat(result.lag()).isNull();
  }

  @Test
  void stopsAtMaxRequestsBeforeTheDuration() {
    long start = clock.nanoTime();
    StepResult result =
        new ClosedLoop(oneMillisecond, clock)
            .run(4, limits(100, 60_000, 50), ProgressListener.NONE);

    assertThat(result.sent()).isEqualTo(50);
    assertThat(result.ok()).isEqualTo(50);
    assertThat(result.seconds()).isEqualTo(0.05);
    // The step ends with its last request, not at the end of its 60 s.
    assertThat((clock.nanoTime() - start) / 1e9).isLessThan(1.0);
  }

  @Test
  void countsErrorsByStatusCode() {
    Sender failing =
        sequence -> {
          clock.advanceMillis(1);
          if (sequence % 10 == 0) {
            throw new IllegalStateException("thrown while sending"); // counted as UNKNOWN
          }
          return sequence % 4 == 3
              ? CompletableFuture.failedFuture(Status.UNAVAILABLE.asRuntimeException())
              : CompletableFuture.completedFuture(null);
        };

    StepResult result =
        new ClosedLoop(failing, clock).run(1, limits(0, 60_000, 100), ProgressListener.NONE);

    assertThat(result.sent()).isEqualTo(100);
    assertThat(result.errors()).isEqualTo(Map.of("UNAVAILABLE", 25L, "UNKNOWN", 10L));
    assertThat(result.errorCount()).isEqualTo(35);
    assertThat(result.ok()).isEqualTo(65);
    assertThat(result.latency().count()).isEqualTo(65); // latency of successes only
    assertThat(result.rejected().count()).isZero(); // no RESOURCE_EXHAUSTED
  }

  @Test
  void timesRejectionsApartFromSuccesses() {
    Sender rejectingEveryOther =
        sequence -> {
          if (sequence % 2 == 0) {
            clock.advanceMillis(1);
            return CompletableFuture.failedFuture(
                Status.RESOURCE_EXHAUSTED.withDescription("queue full").asRuntimeException());
          }
          clock.advanceMillis(5);
          return CompletableFuture.completedFuture(null);
        };

    StepResult result =
        new ClosedLoop(rejectingEveryOther, clock)
            .run(1, limits(0, 60_000, 100), ProgressListener.NONE);

    assertThat(result.errors()).isEqualTo(Map.of("RESOURCE_EXHAUSTED", 50L));
    assertThat(result.rejected().count()).isEqualTo(50);
    assertThat(result.rejected().maxMs()).isEqualTo(1.0);
    assertThat(result.latency().count()).isEqualTo(50);
    assertThat(result.latency().p50Ms()).isCloseTo(5.0, within(0.01)); // 3 significant digits
  }

  @Test
  void reportsProgressWhileWaiting() {
    CompletableFuture<Void> never = new CompletableFuture<>();
    int[] updates = new int[1];

    StepResult result =
        new ClosedLoop(sequence -> never, clock)
            .run(3, limits(500, 1_000, 1_000), (warmingUp, fraction, ok, errors) -> updates[0]++);

    assertThat(updates[0]).isGreaterThan(5); // every 100 ms of the 1.5 s and the drain
    assertThat(result.sent()).isZero(); // the three callers sent during the warm-up and wait
    assertThat(result.unanswered()).isEqualTo(3);
  }
}
