package zeroshot.server.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;

/**
 * One ClassifyStream call. It reads requests only as fast as it answers them: at most {@code
 * window} items are in flight or waiting to be written at any time (manual inbound flow control),
 * and answers are written only while the transport is ready. A bad item gets an error response and
 * the stream goes on; a bad request id ends the stream.
 */
final class ClassifyStreamHandler implements StreamObserver<ClassifyStreamRequest> {
  static final int MAX_REQUEST_ID_CHARS = 256;

  private final ServerCallStreamObserver<ClassifyStreamResponse> out;
  private final Function<ClassifyStreamRequest, CompletableFuture<ClassifyResponse>> classify;
  private final Map<String, CompletableFuture<ClassifyResponse>> inFlight = new HashMap<>();
  private final ArrayDeque<ClassifyStreamResponse> unwritten = new ArrayDeque<>();
  private boolean halfClosed;
  private boolean ended;

  /**
   * @param classify starts one item; fails (synchronously or through the future) as Classify would
   */
  ClassifyStreamHandler(
      ServerCallStreamObserver<ClassifyStreamResponse> out,
      Function<ClassifyStreamRequest, CompletableFuture<ClassifyResponse>> classify,
      int window) {
    this.out = out;
    this.classify = classify;
    out.disableAutoRequest();
    out.setOnReadyHandler(this::flush);
    out.setOnCancelHandler(this::cancelAll);
    out.request(window);
  }

  @Override
  public void onNext(ClassifyStreamRequest item) {
    String id = item.getRequestId();
    String problem =
        id.isEmpty()
            ? "request_id: empty (expected: a non-empty id chosen by the client)"
            : id.length() > MAX_REQUEST_ID_CHARS
                ? "request_id: "
                    + id.length()
                    + " characters (expected: at most "
                    + MAX_REQUEST_ID_CHARS
                    + ")"
                : null;
    CompletableFuture<ClassifyResponse> work;
    synchronized (this) {
      if (ended) {
        return;
      }
      if (problem == null && inFlight.containsKey(id)) {
        problem = "request_id: \"" + id + "\" is in flight (expected: ids unique in flight)";
      }
      if (problem != null) {
        end(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
        return;
      }
      try {
        work = classify.apply(item);
      } catch (RuntimeException e) {
        work = CompletableFuture.failedFuture(e);
      }
      inFlight.put(id, work);
    }
    work.whenComplete((response, failure) -> answered(id, response, failure));
  }

  private synchronized void answered(String id, ClassifyResponse response, Throwable failure) {
    if (ended || inFlight.remove(id) == null) {
      return;
    }
    ClassifyStreamResponse.Builder answer = ClassifyStreamResponse.newBuilder().setRequestId(id);
    if (failure == null) {
      answer.setResponse(response);
    } else {
      answer.setError(toRpcStatus(StatusMapper.toStatus(failure)));
    }
    unwritten.add(answer.build());
    flush();
  }

  /** Writes what the transport takes now; each answer written lets one more item in. */
  private synchronized void flush() {
    while (!ended && out.isReady() && !unwritten.isEmpty()) {
      out.onNext(unwritten.poll());
      if (!halfClosed) {
        out.request(1);
      }
    }
    if (!ended && halfClosed && inFlight.isEmpty() && unwritten.isEmpty()) {
      ended = true;
      out.onCompleted();
    }
  }

  @Override
  public synchronized void onCompleted() {
    halfClosed = true;
    flush();
  }

  @Override
  public void onError(Throwable t) {
    cancelAll();
  }

  private synchronized void cancelAll() {
    ended = true;
    inFlight.values().forEach(f -> f.cancel(false));
    inFlight.clear();
    unwritten.clear();
  }

  private void end(StatusRuntimeException status) {
    cancelAll();
    out.onError(status);
  }

  static com.google.rpc.Status toRpcStatus(StatusRuntimeException e) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    if (rich != null) {
      return rich;
    }
    Status s = e.getStatus();
    return com.google.rpc.Status.newBuilder()
        .setCode(s.getCode().value())
        .setMessage(s.getDescription() == null ? "" : s.getDescription())
        .build();
  }
}
