package zeroshot.client.bench;

import java.util.concurrent.locks.LockSupport;

/** The time a load run reads and waits on; tests pass one that only moves when told to. */
public interface BenchClock {

  /** Returns the current time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Waits until {@link #nanoTime()} reaches {@code deadlineNanos}, or a little less; callers loop.
   * Parks rather than spins: a spinning load generator takes a core from the server it measures.
   */
  void parkUntil(long deadlineNanos);

  /** Returns the system clock. */
  static BenchClock system() {
    return SystemClock.INSTANCE;
  }

  /** {@link System#nanoTime()} and {@link LockSupport#parkNanos(long)}. */
  enum SystemClock implements BenchClock {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void parkUntil(long deadlineNanos) {
      long wait = deadlineNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }
}
