package zeroshot.client;

import com.google.common.util.concurrent.ListenableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Adapts the future stub's {@link ListenableFuture} to a {@link CompletableFuture} in both
 * directions: the call's outcome completes the returned future, and cancelling the returned future
 * cancels the call.
 */
final class FutureAdapter {

  private FutureAdapter() {}

  static <T> CompletableFuture<T> toCompletable(ListenableFuture<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    // Cancelling (or otherwise completing) the result first cancels the RPC; the call's own
    // completion afterwards is a no-op there.
    result.whenComplete(
        (value, failure) -> {
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    // Runnable::run: the listener only hands over the value, cheap enough for the gRPC thread.
    call.addListener(() -> complete(call, result), Runnable::run);
    return result;
  }

  private static <T> void complete(ListenableFuture<T> call, CompletableFuture<T> result) {
    try {
      result.complete(call.get());
    } catch (ExecutionException e) {
      // A failed RPC fails with the StatusRuntimeException that carries its status.
      result.completeExceptionally(e.getCause());
    } catch (CancellationException e) {
      result.cancel(false);
    } catch (InterruptedException e) {
      // Unreachable: the listener runs only once the call is done, so get() does not block.
      Thread.currentThread().interrupt();
      result.completeExceptionally(e);
    }
  }
}
