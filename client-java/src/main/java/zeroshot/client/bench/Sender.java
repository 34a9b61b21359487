package zeroshot.client.bench;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one request of a load run; the future completes when it is answered, or exceptionally with
 * the error (a {@link io.grpc.StatusRuntimeException} for a gRPC status). Must not block: it is
 * called on the open loop's sending thread and from the completions of closed-loop callers.
 */
@FunctionalInterface
public interface Sender {

  /** Sends request number {@code sequence} (0, 1, 2, ...; callers pick the image from it). */
  CompletableFuture<?> send(long sequence);
}
