package zeroshot.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Checks deadlines given to the client: present and positive. */
final class Deadlines {

  private Deadlines() {}

  static Duration checkPositive(Duration deadline, String name) {
    requireNonNull(deadline, name);
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException(name + ": " + deadline + " (expected: > 0)");
    }
    return deadline;
  }

  /** Returns the deadline in nanoseconds, saturating at about 292 years instead of overflowing. */
  static long toNanos(Duration deadline) {
    checkPositive(deadline, "deadline");
    try {
      return deadline.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
