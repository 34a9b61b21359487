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
import java.util.function.Consumer;
import java.util.function.Function;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;
import zeroshot.server.messages.TextRule;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;

/**
 * One ClassifyStream call. It reads requests only as fast as it answers them: at most {@code
 * window} items are in flight or waiting to be written at any time (manual inbound flow control),
 * and answers are written only while the transport is ready. A bad item gets an error response and
 * the stream goes on; a bad request id ends the stream.
 *
 * <p>On shutdown ({@link #drain()}) the stream stops asking for items at once, answers every item
 * it has read (items that were already on their way get an UNAVAILABLE answer of their own instead
 * of being run), then ends with UNAVAILABLE, so that a client knows exactly which items to send to
 * another server.
 */
final class ClassifyStreamHandler implements StreamObserver<ClassifyStreamRequest> {
  static final int MAX_REQUEST_ID_CHARS = 256;

  private final ServerCallStreamObserver<ClassifyStreamResponse> out;
  private final Function<ClassifyStreamRequest, CompletableFuture<ClassifyResponse>> classify;
  private final Consumer<ClassifyStreamHandler> onEnd;
  private final int window;
  private final Map<String, CompletableFuture<ClassifyResponse>> inFlight = new HashMap<>();
  private final ArrayDeque<ClassifyStreamResponse> unwritten = new ArrayDeque<>();
  private boolean halfClosed;
  private boolean draining;
  private boolean ended;

  /**
   * @param classify starts one item; fails (synchronously or through the future) as Classify would
   * @param onEnd told once when the stream has ended, however it ended
   */
  ClassifyStreamHandler(
      ServerCallStreamObserver<ClassifyStreamResponse> out,
      Function<ClassifyStreamRequest, CompletableFuture<ClassifyResponse>> classify,
      int window,
      Consumer<ClassifyStreamHandler> onEnd) {
    this.out = out;
    this.classify = classify;
    this.window = window;
    this.onEnd = onEnd;
    out.disableAutoRequest();
    out.setOnReadyHandler(this::flush);
    out.setOnCancelHandler(this::cancelAll);
  }

  /** Asks for the first {@code window} items. */
  void start() {
    out.request(window);
  }

  @Override
  public void onNext(ClassifyStreamRequest item) {
    String id = item.getRequestId();
    CompletableFuture<ClassifyResponse> work;
    synchronized (this) {
      if (ended) {
        return;
      }
      try {
        checkId(id);
      } catch (InvalidFieldException problem) {
        end(StatusMapper.toStatus(problem));
        return;
      }
      if (draining) {
        // Requested before the shutdown began: answered, not run.
        work = CompletableFuture.failedFuture(StatusMapper.itemNotRun());
      } else {
        try {
          work = classify.apply(item);
        } catch (RuntimeException e) {
          work = CompletableFuture.failedFuture(e);
        }
      }
      inFlight.put(id, work);
    }
    work.whenComplete((response, failure) -> answered(id, response, failure));
  }

  /** Throws unless {@code id} is a usable request id; called with the lock held. */
  private void checkId(String id) {
    if (id.isEmpty()) {
      throw new InvalidFieldException(
          "request_id", "empty (expected: a non-empty id chosen by the client)");
    }
    TextRule.checkLength("request_id", id, MAX_REQUEST_ID_CHARS);
    if (inFlight.containsKey(id)) {
      throw new InvalidFieldException(
          "request_id", "\"" + Echo.value(id) + "\" is in flight (expected: ids unique in flight)");
    }
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

  /**
   * Stops reading: every item already read is answered, then the stream ends with UNAVAILABLE (or
   * OK if the client had half-closed). Items gRPC delivers after this are answered UNAVAILABLE.
   */
  synchronized void drain() {
    draining = true;
    flush();
  }

  /** Writes what the transport takes now; each answer written lets one more item in. */
  private synchronized void flush() {
    while (!ended && out.isReady() && !unwritten.isEmpty()) {
      out.onNext(unwritten.poll());
      if (!halfClosed && !draining) {
        out.request(1);
      }
    }
    if (ended || !inFlight.isEmpty() || !unwritten.isEmpty()) {
      return;
    }
    if (halfClosed) {
      ended = true;
      out.onCompleted();
      onEnd.accept(this);
    } else if (draining) {
      end(StatusMapper.streamDrained());
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
    if (!ended) {
      ended = true;
      onEnd.accept(this);
    }
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
