package zeroshot.client.bench;

import java.time.Duration;

/** Step limits for the loop tests, in whole milliseconds of fake time, with a 1 s drain. */
final class TestLimits {
  private TestLimits() {}

  static StepLimits limits(long warmupMillis, long durationMillis, long maxRequests) {
    return new StepLimits(
        Duration.ofMillis(warmupMillis),
        Duration.ofMillis(durationMillis),
        maxRequests,
        Duration.ofSeconds(1));
  }
}
