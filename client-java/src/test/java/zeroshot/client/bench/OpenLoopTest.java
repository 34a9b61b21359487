package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.client.bench.TestLimits.limits;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The open loop's schedule, bounds and latency accounting, on a fake clock. */
class OpenLoopTest {

  private final FakeClock clock = new FakeClock();
  private final List<Long> sendTimes = new ArrayList<>();

  /** Answers at once, taking no time. */
  private final Sender instant =
      sequence -> {
        sendTimes.add(clock.nanoTime());
        return CompletableFuture.completedFuture(null);
      };

  private StepResult run(Sender sender, double rate, StepLimits limits, long seed) {
    return new OpenLoop(sender, clock, new Random(seed)).run(rate, limits, ProgressListener.NONE);
  }

  @Test
  void sendsAtTheTargetRateOnTime() {
    StepResult result = run(instant, 1_000, limits(0, 2_000, 1_000_000), 1);

    // Poisson: 2,000 expected, standard deviation 45.
    assertThat(result.sent()).isBetween(1_800L, 2_200L);
    assertThat(result.ok()).isEqualTo(result.sent());
    assertThat(result.lag()).isEqualTo(new SendLag(0, 0));
    assertThat(result.latency().maxMs()).isZero();
  }

  @Test
  void sendsAtTheScheduledTimesNotEvenlySpaced() {
    run(instant, 1_000, limits(0, 1_000, 1_000_000), 1);
    PoissonSchedule schedule = new PoissonSchedule(1_000, sendTimes.get(0), new Random(1));

    for (long sent : sendTimes) {
      assertThat(sent).isEqualTo(schedule.next());
    }
  }

  @Test
  void theSameSeedSendsTheSameNumberOfRequests() {
    long first = run(instant, 500, limits(200, 1_000, 1_000_000), 9).sent();
    long second = run(instant, 500, limits(200, 1_000, 1_000_000), 9).sent();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void latencyCountsFromTheIntendedTimeWhenTheSenderFallsBehind() {
    // Each send blocks the sender for 20 ms of a 10 ms mean gap: it falls further and further
    // behind. Timed from the actual send, every call would take 20 ms.
    Sender slow =
        sequence -> {
          clock.advanceMillis(20);
          return CompletableFuture.completedFuture(null);
        };

    StepResult result = run(slow, 100, limits(0, 1_000, 1_000_000), 3);

    assertThat(result.sent()).isBetween(70L, 130L);
    assertThat(result.latency().maxMs()).isGreaterThan(900.0); // the last: ~2 s sent, ~1 s due
    assertThat(result.latency().p50Ms()).isGreaterThan(200.0);
    assertThat(result.lag().lateSends()).isGreaterThan(result.sent() / 2);
    assertThat(result.lag().maxLagMs()).isGreaterThan(900.0);
  }

  @Test
  void stopsAtMaxRequests() {
    StepResult result = run(instant, 1_000, limits(100, 60_000, 30), 1);

    assertThat(result.sent()).isEqualTo(30);
    assertThat(result.ok()).isEqualTo(30);
  }

  @Test
  void warmUpRequestsAreSentButNotMeasured() {
    StepResult result = run(instant, 1_000, limits(1_000, 1_000, 1_000_000), 5);

    assertThat(sendTimes.size()).isGreaterThan((int) result.sent() + 800);
    assertThat(result.latency().count()).isEqualTo(result.sent());
  }
}
