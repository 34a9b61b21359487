package zeroshot.client;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;
import zeroshot.v1.ZeroShotServiceGrpc.ZeroShotServiceStub;

/**
 * One {@code ClassifyStream} call with backpressure: pulls an item from the source only while the
 * transport is ready and fewer than {@code maxInFlight} items are unanswered, half-closes once the
 * source is exhausted, and completes its future when the server ends the stream.
 *
 * <p>gRPC runs this observer's callbacks one at a time on the channel's executor, so the source is
 * pulled and {@code onResult} is called there, never concurrently. The only other thread is the
 * caller's, cancelling the future; {@link #lock} keeps that cancellation from racing a send.
 */
final class ClassifyStreamCall
    implements ClientResponseObserver<ClassifyStreamRequest, ClassifyStreamResponse> {

  private final Iterator<ClassifyStreamRequest> source;
  private final int maxInFlight;
  private final Consumer<ClassifyStreamResponse> onResult;
  private final CompletableFuture<StreamSummary> result = new CompletableFuture<>();
  private final Object lock = new Object();
  // The ids sent and not answered yet; at most maxInFlight.
  private final Set<String> inFlight = new HashSet<>();
  private ClientCallStreamObserver<ClassifyStreamRequest> call;
  private boolean halfClosed;
  private boolean closed; // guarded by lock: the server ended the call
  private long succeeded;
  private long failed;

  private ClassifyStreamCall(
      Iterator<ClassifyStreamRequest> source,
      int maxInFlight,
      Consumer<ClassifyStreamResponse> onResult) {
    this.source = source;
    this.maxInFlight = maxInFlight;
    this.onResult = onResult;
  }

  /** Checks the arguments and starts the call. */
  static CompletableFuture<StreamSummary> start(
      ZeroShotServiceStub stub,
      Iterator<ClassifyStreamRequest> source,
      int maxInFlight,
      Consumer<ClassifyStreamResponse> onResult) {
    requireNonNull(source, "requests");
    requireNonNull(onResult, "onResult");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: >= 1)");
    }
    ClassifyStreamCall observer = new ClassifyStreamCall(source, maxInFlight, onResult);
    // Any failure of the future, the caller's cancel() included, cancels a call still running.
    observer.result.whenComplete((summary, failure) -> observer.cancelIfRunning(failure));
    stub.classifyStream(observer);
    return observer.result;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ClassifyStreamRequest> call) {
    this.call = call;
    // One response at a time, asked for again once onResult has returned: a slow consumer slows
    // the server down instead of queueing responses here.
    call.disableAutoRequestWithInitial(1);
    call.setOnReadyHandler(this::sendWhileReady);
  }

  @Override
  public void onNext(ClassifyStreamResponse response) {
    if (result.isDone()) {
      return; // cancelled or failed: the caller wants no more results
    }
    if (!inFlight.remove(response.getRequestId())) {
      fail(
          Status.INTERNAL
              .withDescription(
                  "request_id: \"" + response.getRequestId() + "\" (expected: an unanswered id)")
              .asRuntimeException());
      return;
    }
    if (response.hasError()) {
      failed++;
    } else {
      succeeded++;
    }
    try {
      onResult.accept(response);
    } catch (RuntimeException | Error e) {
      fail(e);
      return;
    }
    call.request(1);
    sendWhileReady();
  }

  @Override
  public void onError(Throwable t) {
    synchronized (lock) {
      closed = true;
    }
    result.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    synchronized (lock) {
      closed = true;
    }
    if (!inFlight.isEmpty()) {
      String message = "server ended the stream with " + inFlight.size() + " items unanswered";
      result.completeExceptionally(Status.INTERNAL.withDescription(message).asRuntimeException());
      return;
    }
    result.complete(new StreamSummary(succeeded + failed, succeeded, failed));
  }

  private void sendWhileReady() {
    while (!result.isDone() && !halfClosed && inFlight.size() < maxInFlight && call.isReady()) {
      ClassifyStreamRequest next;
      try {
        // Outside the lock: pulling may be slow (e.g. read a file) and must not delay a cancel.
        next = source.hasNext() ? source.next() : null;
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      if (next != null && !inFlight.add(next.getRequestId())) {
        String id = next.getRequestId();
        fail(new IllegalArgumentException("request_id: \"" + id + "\" (expected: not in flight)"));
        return;
      }
      synchronized (lock) {
        if (result.isDone()) {
          return;
        }
        if (next == null) {
          halfClosed = true;
          call.onCompleted();
        } else {
          call.onNext(next);
        }
      }
    }
  }

  private void fail(Throwable failure) {
    result.completeExceptionally(failure); // cancels the call, through cancelIfRunning
  }

  private void cancelIfRunning(Throwable failure) {
    if (failure == null) {
      return;
    }
    synchronized (lock) {
      if (!closed) {
        call.cancel("classifyStream failed or was cancelled by the caller", failure);
      }
    }
  }
}
