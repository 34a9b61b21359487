package zeroshot.server.testing;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;
import zeroshot.v1.ZeroShotServiceGrpc;

/**
 * A ClassifyStream whose client sends items {@code item-0}, {@code item-1}, ... as fast as the
 * transport takes them, up to a total, and never half-closes: what a bulk client looks like to a
 * server that shuts down under it.
 */
public final class OpenStream {
  /** Answers by request id. */
  public final Map<String, ClassifyStreamResponse> answered = new ConcurrentHashMap<>();

  /** {@code System.nanoTime()} of the latest answer. */
  public final AtomicLong lastAnswerNanos = new AtomicLong();

  /** How the stream ended. */
  public final CompletableFuture<Status> status = new CompletableFuture<>();

  public OpenStream(Channel channel, int total, IntFunction<ClassifyRequest> request) {
    ZeroShotServiceGrpc.newStub(channel)
        .classifyStream(
            new ClientResponseObserver<ClassifyStreamRequest, ClassifyStreamResponse>() {
              private int sent;

              @Override
              public void beforeStart(ClientCallStreamObserver<ClassifyStreamRequest> requests) {
                requests.setOnReadyHandler(
                    () -> {
                      while (requests.isReady() && sent < total) {
                        requests.onNext(
                            ClassifyStreamRequest.newBuilder()
                                .setRequestId("item-" + sent)
                                .setRequest(request.apply(sent++))
                                .build());
                      }
                    });
              }

              @Override
              public void onNext(ClassifyStreamResponse r) {
                answered.put(r.getRequestId(), r);
                lastAnswerNanos.set(System.nanoTime());
              }

              @Override
              public void onError(Throwable t) {
                status.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                status.complete(Status.OK);
              }
            });
  }
}
