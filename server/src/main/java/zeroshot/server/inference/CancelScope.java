package zeroshot.server.inference;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The parts of one call's work (a decode task, batcher submissions). When the call's result is
 * cancelled or fails, the parts still pending are cancelled, so their items leave the queues
 * instead of reaching the model for nothing. A derived future alone would not do this: {@code
 * CompletableFuture} does not pass cancellation upstream.
 */
final class CancelScope {
  private final List<CompletableFuture<?>> parts = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;

  <T> CompletableFuture<T> add(CompletableFuture<T> part) {
    parts.add(part);
    if (cancelled) {
      part.cancel(false);
    }
    return part;
  }

  /**
   * Both results combined by {@code fn}; fails as soon as either fails (a plain {@code thenCombine}
   * waits for the other one, which may sit in a queue for nothing).
   */
  static <A, B, R> CompletableFuture<R> both(
      CompletableFuture<A> a, CompletableFuture<B> b, BiFunction<A, B, R> fn) {
    CompletableFuture<R> out = new CompletableFuture<>();
    BiConsumer<Object, Throwable> failFast =
        (value, failure) -> {
          if (failure != null) {
            out.completeExceptionally(failure);
          }
        };
    a.whenComplete(failFast);
    b.whenComplete(failFast);
    a.thenCombine(b, fn)
        .whenComplete(
            (value, failure) -> {
              if (failure == null) {
                out.complete(value);
              }
            });
    return out;
  }

  /**
   * Ties the parts to {@code result}: when it ends other than normally, the parts are cancelled.
   */
  <T> CompletableFuture<T> guard(CompletableFuture<T> result) {
    result.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            cancelled = true;
            parts.forEach(p -> p.cancel(false));
          }
        });
    return result;
  }
}
