package zeroshot.client.bench;

import java.util.concurrent.TimeUnit;

/** A clock that moves only when told to, or when someone parks on it: tests run without sleeps. */
final class FakeClock implements BenchClock {

  private long now = 1_000_000_000L; // an arbitrary origin, as System.nanoTime() has

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  /** Jumps to the deadline at once. */
  @Override
  public synchronized void parkUntil(long deadlineNanos) {
    now = Math.max(now, deadlineNanos);
  }

  synchronized void advanceMillis(long millis) {
    now += TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
