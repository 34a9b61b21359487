package zeroshot.client.bench;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;

/**
 * Sends each request as one item of a {@code ClassifyStream} call, spreading items over {@code
 * streams} open streams in turn. Each stream has at most {@code window} items unanswered; more wait
 * here, in order, and their wait counts in their latency. {@link #close()} ends the streams.
 */
public final class StreamSender implements Sender, AutoCloseable {

  private final List<ClassifyRequest> requests;
  private final List<Lane> lanes = new ArrayList<>();

  /** Opens {@code streams} streams, each with at most {@code window} items unanswered. */
  public StreamSender(
      ZeroShotClient client, List<ClassifyRequest> requests, int streams, int window) {
    requireNonNull(client, "client");
    this.requests = List.copyOf(requests);
    if (this.requests.isEmpty()) {
      throw new IllegalArgumentException("requests: none (expected: at least one)");
    }
    if (streams < 1 || window < 1) {
      throw new IllegalArgumentException(
          "streams: " + streams + ", window: " + window + " (expected: both >= 1)");
    }
    for (int s = 0; s < streams; s++) {
      Lane lane = new Lane(window);
      lane.call = client.openClassifyStream(lane);
      lanes.add(lane);
    }
  }

  @Override
  public CompletableFuture<?> send(long sequence) {
    ClassifyStreamRequest item =
        ClassifyStreamRequest.newBuilder()
            .setRequestId(Long.toString(sequence))
            .setRequest(requests.get((int) (sequence % requests.size())))
            .build();
    return lanes.get((int) (sequence % lanes.size())).submit(item);
  }

  /** Half-closes every stream; the server then ends each once it has answered what it has. */
  @Override
  public void close() {
    lanes.forEach(Lane::close);
  }

  /** One stream: its window, the items waiting for it, and the futures of unanswered items. */
  private static final class Lane implements StreamObserver<ClassifyStreamResponse> {
    private final int window;
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final Queue<ClassifyStreamRequest> waiting = new ArrayDeque<>(); // guarded by this
    private StreamObserver<ClassifyStreamRequest> call;
    private int inFlight; // guarded by this
    private Status ended; // guarded by this: the stream is over

    Lane(int window) {
      this.window = window;
    }

    CompletableFuture<Void> submit(ClassifyStreamRequest item) {
      CompletableFuture<Void> answer = new CompletableFuture<>();
      synchronized (this) {
        if (ended != null) {
          return CompletableFuture.failedFuture(ended.asRuntimeException());
        }
        pending.put(item.getRequestId(), answer);
        if (inFlight < window) {
          inFlight++;
          call.onNext(item);
        } else {
          waiting.add(item);
        }
      }
      return answer;
    }

    @Override
    public void onNext(ClassifyStreamResponse response) {
      synchronized (this) {
        inFlight--;
        ClassifyStreamRequest next = waiting.poll();
        if (next != null && ended == null) {
          inFlight++;
          call.onNext(next);
        }
      }
      // Completed outside the lock: a closed-loop caller sends its next item from here.
      CompletableFuture<Void> answer = pending.remove(response.getRequestId());
      if (answer == null) {
        return;
      }
      if (response.hasError()) {
        com.google.rpc.Status error = response.getError();
        answer.completeExceptionally(
            Status.fromCodeValue(error.getCode())
                .withDescription(error.getMessage())
                .asRuntimeException());
      } else {
        answer.complete(null);
      }
    }

    @Override
    public void onError(Throwable t) {
      end(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end(Status.INTERNAL.withDescription("the server ended the stream"));
    }

    synchronized void close() {
      if (ended == null) {
        ended = Status.CANCELLED.withDescription("the load run is over");
        call.onCompleted();
      }
    }

    private void end(Status status) {
      synchronized (this) {
        if (ended == null) {
          ended = status;
        }
        waiting.clear();
      }
      pending.values().forEach(f -> f.completeExceptionally(status.asRuntimeException()));
      pending.clear();
    }
  }
}
