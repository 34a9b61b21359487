package zeroshot.client.bench;

import static java.util.Objects.requireNonNull;

import java.util.Random;

/**
 * The intended send times of an open loop: Poisson arrivals at a given rate, i.e. exponentially
 * distributed gaps with mean {@code 1 / rate}. Each request's latency is counted from its intended
 * time, so a sender (or server) that falls behind shows up as latency instead of vanishing from the
 * figures (coordinated omission). Not thread-safe: one sender reads it.
 */
public final class PoissonSchedule {

  private final double ratePerSecond;
  private final Random random;
  private long next;

  /**
   * Creates a schedule whose first arrival is at {@code startNanos}.
   *
   * @param ratePerSecond mean arrivals per second; positive
   * @param random the source of the gaps; seed it for a reproducible schedule
   */
  public PoissonSchedule(double ratePerSecond, long startNanos, Random random) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "ratePerSecond: " + ratePerSecond + " (expected: > 0 and finite)");
    }
    this.ratePerSecond = ratePerSecond;
    this.random = requireNonNull(random, "random");
    this.next = startNanos;
  }

  /** Returns the next intended send time, in nanoseconds, and moves past it. */
  public long next() {
    long intended = next;
    next += gapNanos();
    return intended;
  }

  private long gapNanos() {
    // Inverse transform sampling: -ln(1 - U) / rate is exponential; 1 - U is in (0, 1].
    return (long) (-Math.log(1 - random.nextDouble()) / ratePerSecond * 1e9);
  }
}
