package zeroshot.server.batching;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The batcher's clock and its way of waiting, injected so that batch timing is tested without
 * sleeping: a test's time source advances its clock instead of waiting.
 */
public interface TimeSource {
  /** Monotonic nanoseconds, comparable with the deadlines given to the batcher. */
  long nanoTime();

  /**
   * Waits on {@code condition} (its lock held) for at most {@code nanos}, as {@link
   * Condition#awaitNanos}.
   */
  void await(Condition condition, long nanos) throws InterruptedException;

  /** The system's monotonic clock and real waiting. */
  TimeSource SYSTEM =
      new TimeSource() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void await(Condition condition, long nanos) throws InterruptedException {
          condition.await(nanos, TimeUnit.NANOSECONDS);
        }
      };
}
