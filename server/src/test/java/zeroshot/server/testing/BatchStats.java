package zeroshot.server.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of the batches one encoder was called with: batches, items, largest. */
public final class BatchStats {
  private final LongAdder batches = new LongAdder();
  private final LongAdder items = new LongAdder();
  private final AtomicInteger largest = new AtomicInteger();
  private final LongAdder runNanos = new LongAdder();

  void batch(int size, long runNanos) {
    batches.increment();
    items.add(size);
    largest.accumulateAndGet(size, Math::max);
    this.runNanos.add(runNanos);
  }

  public long batches() {
    return batches.sum();
  }

  public long items() {
    return items.sum();
  }

  public int largestBatch() {
    return largest.get();
  }

  /** Total time spent in model calls. */
  public long runNanos() {
    return runNanos.sum();
  }
}
