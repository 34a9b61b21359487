package zeroshot.server.batching;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching for one encoder of one model: items from many calls wait in one bounded queue,
 * and workers take them in batches of up to {@code maxBatchSize}, waiting at most {@code
 * maxQueueDelay} from the oldest item for a batch to fill (less when a preferred size is ready,
 * and, with {@link BatchWait#ANNOUNCED}, not at all when no more items are on their way).
 *
 * <p>Admission is all or nothing per call and never blocks: a full queue fails the call at once
 * with {@link QueueFullException}. Items announced ahead of their submission ({@link #announce})
 * hold their places from then on. Items whose call was cancelled or whose deadline passed are
 * dropped before they reach the model. A failing batch fails only its own items. {@link
 * #shutdown()} stops admission; workers finish every accepted item before they exit.
 */
public final class Batcher<I, O> {
  private final String name;
  private final BatchingPolicy policy;
  private final QueuePolicy queuePolicy;
  private final BatchRunner<I, O> runner;
  private final TimeSource time;
  private final BatchObserver observer;
  private final ReentrantLock lock = new ReentrantLock();

  /** One worker forms a batch at a time, so batches fill up while others run the model. */
  private final ReentrantLock forming = new ReentrantLock();

  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Item<I, O>> queue = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  private boolean shutdown;

  /** Items announced and neither submitted nor withdrawn yet (guarded by {@link #lock}). */
  private int announced;

  private record Item<I, O>(I input, CompletableFuture<O> result, long enqueued, long deadline) {}

  public Batcher(
      String name,
      BatchingPolicy policy,
      QueuePolicy queuePolicy,
      BatchRunner<I, O> runner,
      TimeSource time,
      BatchObserver observer) {
    this.name = requireNonNull(name, "name");
    this.policy = requireNonNull(policy, "policy");
    this.queuePolicy = requireNonNull(queuePolicy, "queuePolicy");
    this.runner = requireNonNull(runner, "runner");
    this.time = requireNonNull(time, "time");
    this.observer = requireNonNull(observer, "observer");
  }

  /**
   * Queues one call's items; the future completes with their outputs, in order, when all are done.
   * Cancelling it drops the items still queued.
   *
   * @param deadline {@link TimeSource#nanoTime()} after which the items are not worth running
   *     ({@code Long.MAX_VALUE}: none)
   */
  public CompletableFuture<List<O>> submit(List<I> inputs, long deadline) {
    return submit(inputs, deadline, null);
  }

  /**
   * Tells the batcher that {@code items} items are being prepared for it (decoded, say) and will be
   * submitted soon through the returned handle, or withdrawn. With {@link BatchWait#ANNOUNCED}, a
   * forming batch waits for more items only while some are announced.
   *
   * <p>Announcing is admission: the items' places in the queue are reserved now, so that a call is
   * refused before it spends time being prepared, never after.
   *
   * @throws QueueFullException if the queue, with the items already announced, has no room
   * @throws RejectedExecutionException if the batcher is shut down
   */
  public Announcement announce(int items) {
    if (items < 1) {
      throw new IllegalArgumentException("items: " + items + " (expected: > 0)");
    }
    lock.lock();
    try {
      admit(items);
      announced += items;
    } finally {
      lock.unlock();
    }
    return new Announcement(items);
  }

  /** Throws unless {@code items} more fit beside those queued and announced; lock held. */
  private void admit(int items) {
    if (shutdown) {
      throw new RejectedExecutionException(name + " is shut down; retry on another server");
    }
    int max = queuePolicy.maxQueueItems();
    if (queue.size() + announced + items > max) {
      observer.dropped(BatchObserver.Drop.QUEUE_FULL, items);
      throw new QueueFullException(name, queue.size() + announced, items, max);
    }
  }

  /** Items announced to a batcher; settle it exactly once, by submitting them or withdrawing. */
  public final class Announcement {
    private final int items;
    private boolean settled; // guarded by lock

    private Announcement(int items) {
      this.items = items;
    }

    /** As {@link Batcher#submit}; the items are no longer announced once queued (or refused). */
    public CompletableFuture<List<O>> submit(List<I> inputs, long deadline) {
      return Batcher.this.submit(inputs, deadline, this);
    }

    /** The items will not come (their preparation failed or their call was cancelled). */
    public void withdraw() {
      lock.lock();
      try {
        settle();
        notEmpty.signalAll(); // a forming batch may have been waiting for them
      } finally {
        lock.unlock();
      }
    }

    private void settle() {
      if (!settled) {
        settled = true;
        announced -= items;
      }
    }
  }

  private CompletableFuture<List<O>> submit(
      List<I> inputs, long deadline, Announcement announcement) {
    List<CompletableFuture<O>> results = new ArrayList<>(inputs.size());
    lock.lock();
    try {
      // In the same critical section as the queueing: a worker never sees the items neither
      // announced nor queued, so it cannot close a batch they were about to join.
      if (announcement != null) {
        announcement.settle(); // their places were reserved: admitted unless shut down since
      }
      try {
        admit(inputs.size());
      } catch (RejectedExecutionException | QueueFullException e) {
        return CompletableFuture.failedFuture(e);
      }
      long now = time.nanoTime();
      for (I input : inputs) {
        CompletableFuture<O> result = new CompletableFuture<>();
        results.add(result);
        queue.addLast(new Item<>(input, result, now, deadline));
      }
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    CompletableFuture<List<O>> all =
        CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
            .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    all.whenComplete(
        (r, failure) -> {
          if (all.isCancelled()) {
            results.forEach(f -> f.cancel(false));
            removeCancelled(results);
          }
        });
    return all;
  }

  /** Frees the queue places of a cancelled call at once, instead of when a worker meets them. */
  private void removeCancelled(List<CompletableFuture<O>> results) {
    Set<CompletableFuture<O>> cancelled = Collections.newSetFromMap(new IdentityHashMap<>());
    cancelled.addAll(results);
    int removed;
    lock.lock();
    try {
      int before = queue.size();
      queue.removeIf(item -> cancelled.contains(item.result()));
      removed = before - queue.size();
    } finally {
      lock.unlock();
    }
    if (removed > 0) {
      observer.dropped(BatchObserver.Drop.CANCELLED, removed);
    }
  }

  /**
   * Takes one batch (waiting for a first item) and runs it. Returns false once shut down with
   * nothing left to run. Workers loop on it; tests call it directly.
   */
  public boolean runOnce() throws InterruptedException {
    List<Item<I, O>> batch = takeBatch();
    if (batch == null) {
      return false;
    }
    List<Item<I, O>> live = new ArrayList<>(batch.size());
    long now = time.nanoTime();
    for (Item<I, O> item : batch) {
      if (item.result().isDone()) {
        observer.dropped(BatchObserver.Drop.CANCELLED, 1);
      } else if (now > item.deadline()) {
        observer.dropped(BatchObserver.Drop.DEADLINE, 1);
        item.result().completeExceptionally(new DeadlineExpiredException(name));
      } else {
        live.add(item);
      }
    }
    if (!live.isEmpty()) {
      run(live, now - batch.get(0).enqueued());
    }
    return true;
  }

  private List<Item<I, O>> takeBatch() throws InterruptedException {
    forming.lockInterruptibly();
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (shutdown) {
          return null;
        }
        notEmpty.await();
      }
      List<Item<I, O>> batch = new ArrayList<>();
      long closeAt = queue.peekFirst().enqueued() + policy.maxQueueDelay().toNanos();
      while (true) {
        while (!queue.isEmpty() && batch.size() < policy.maxBatchSize()) {
          batch.add(queue.pollFirst());
        }
        long wait = closeAt - time.nanoTime();
        boolean nothingComing = policy.batchWait() == BatchWait.ANNOUNCED && announced == 0;
        if (policy.isPreferred(batch.size()) || wait <= 0 || shutdown || nothingComing) {
          return batch;
        }
        time.await(notEmpty, wait);
      }
    } finally {
      lock.unlock();
      forming.unlock();
    }
  }

  private void run(List<Item<I, O>> batch, long oldestWait) {
    List<I> inputs = batch.stream().map(Item::input).toList();
    long start = time.nanoTime();
    List<O> outputs = null;
    RuntimeException failure = null;
    try {
      outputs = runner.run(inputs);
      if (outputs.size() != inputs.size()) {
        throw new IllegalStateException(
            name + " returned " + outputs.size() + " outputs for " + inputs.size() + " inputs");
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    // Observed before the callers hear back, so that what they see next includes this batch.
    observer.batch(batch.size(), oldestWait, time.nanoTime() - start);
    for (int i = 0; i < batch.size(); i++) {
      if (failure == null) {
        batch.get(i).result().complete(outputs.get(i));
      } else {
        batch.get(i).result().completeExceptionally(failure);
      }
    }
  }

  /** Starts {@code policy.workers()} threads that run batches until shutdown. */
  public void start() {
    for (int i = 0; i < policy.workers(); i++) {
      Thread t = new Thread(this::work, name + "-batcher-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  private void work() {
    try {
      while (runOnce()) {
        // next batch
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Items waiting for a worker. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  public BatchingPolicy policy() {
    return policy;
  }

  public QueuePolicy queuePolicy() {
    return queuePolicy;
  }

  /** Stops admission; workers run every queued item, then exit. */
  public void shutdown() {
    lock.lock();
    try {
      shutdown = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the workers to finish the queue after {@link #shutdown()}. */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long end = System.nanoTime() + unit.toNanos(timeout);
    for (Thread t : workers) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }
}
