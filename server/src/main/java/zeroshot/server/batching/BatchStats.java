package zeroshot.server.batching;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of one batcher: batches, items, the largest batch, drops. Thread-safe. */
public final class BatchStats implements BatchObserver {
  private final LongAdder batches = new LongAdder();
  private final LongAdder items = new LongAdder();
  private final AtomicInteger largest = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder runNanos = new LongAdder();

  @Override
  public void batch(int size, long oldestWaitNanos, long runNanos) {
    batches.increment();
    items.add(size);
    largest.accumulateAndGet(size, Math::max);
    this.runNanos.add(runNanos);
  }

  @Override
  public void dropped(Drop reason, int count) {
    dropped.add(count);
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

  public long dropped() {
    return dropped.sum();
  }
}
