package zeroshot.server.inference;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that decodes and preprocesses images, off gRPC's threads (the models run on the
 * batchers' workers). A full pool rejects at once ({@link OverloadedException}) instead of blocking
 * the caller, and a task whose future was cancelled before it started (client cancelled, deadline
 * passed) never runs.
 */
public final class PreprocessExecutor implements AutoCloseable {
  private final ThreadPoolExecutor pool;
  private final int queueCapacity;

  public PreprocessExecutor(int threads, int queueCapacity) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    BlockingQueue<Runnable> queue =
        queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity);
    AtomicInteger ids = new AtomicInteger();
    this.queueCapacity = queueCapacity;
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            queue,
            r -> {
              Thread t = new Thread(r, "preprocess-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Runs {@code task} on the pool; the future fails with OverloadedException if it is full.
   * Cancelling the future while the task waits removes it from the queue, freeing its place.
   */
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Runnable run =
        () -> {
          if (future.isDone()) {
            return; // cancelled between leaving the queue and starting
          }
          try {
            future.complete(task.call());
          } catch (Throwable t) {
            future.completeExceptionally(t);
          }
        };
    try {
      pool.execute(run);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(
          new OverloadedException(pool.getMaximumPoolSize(), queueCapacity));
      return future;
    }
    future.whenComplete(
        (result, failure) -> {
          if (future.isCancelled()) {
            pool.remove(run);
          }
        });
    return future;
  }

  /** Tasks accepted and waiting for a thread. */
  public int queued() {
    return pool.getQueue().size();
  }

  public int threads() {
    return pool.getMaximumPoolSize();
  }

  /** Stops taking tasks and waits up to {@code grace} for accepted ones to finish. */
  public boolean drain(Duration grace) throws InterruptedException {
    pool.shutdown();
    return pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
