package zeroshot.client.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The bounds of one step of a run: a warm-up that is not measured, then a measured phase that ends
 * after {@code duration} or once {@code maxRequests} requests were sent in it, whichever comes
 * first; then at most {@code drain} for the answers still outstanding.
 *
 * @param warmup time sent at the same load but not measured; zero for none
 * @param duration the longest measured phase; positive
 * @param maxRequests the most requests sent in the measured phase; positive
 * @param drain how long to wait for outstanding answers after the measured phase; positive
 */
public record StepLimits(Duration warmup, Duration duration, long maxRequests, Duration drain) {

  /** Checks the limits. */
  public StepLimits {
    requireNonNull(warmup, "warmup");
    requireNonNull(duration, "duration");
    requireNonNull(drain, "drain");
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
    }
    if (maxRequests < 1) {
      throw new IllegalArgumentException("maxRequests: " + maxRequests + " (expected: >= 1)");
    }
    if (drain.isNegative() || drain.isZero()) {
      throw new IllegalArgumentException("drain: " + drain + " (expected: > 0)");
    }
  }
}
