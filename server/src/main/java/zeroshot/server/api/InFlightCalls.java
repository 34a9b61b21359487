package zeroshot.server.api;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;

/**
 * Counts the calls of the services it intercepts that have started and not yet ended, so that
 * shutdown can wait for the work clients care about and then cut off what never ends by itself (an
 * open health Watch, a reflection stream).
 */
public final class InFlightCalls implements ServerInterceptor {
  private int open;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    started();
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException e) {
      ended();
      throw e;
    }
    return CallEnd.whenEnded(listener, this::ended);
  }

  /** Calls started and not yet completed or cancelled. */
  public synchronized int open() {
    return open;
  }

  /**
   * Waits until no call is open or {@code timeout} has passed.
   *
   * @return whether every call had ended
   */
  public synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (open > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private synchronized void started() {
    open++;
  }

  private synchronized void ended() {
    open--;
    if (open == 0) {
      notifyAll();
    }
  }
}
