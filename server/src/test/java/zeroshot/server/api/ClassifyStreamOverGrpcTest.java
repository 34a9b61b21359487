package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;
import zeroshot.v1.Image;
import zeroshot.v1.PixelFormat;
import zeroshot.v1.RawImage;
import zeroshot.v1.ZeroShotServiceGrpc;

/** ClassifyStream on the real tiny model: bulk, flow-controlled, with per-item errors. */
class ClassifyStreamOverGrpcTest {
  private static RunningServer running;

  @BeforeAll
  static void start() throws Exception {
    running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 2, 256, Limits.defaults(), Duration.ofSeconds(5)),
            TorchScriptClipModel::load);
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
  }

  @Test
  void tenThousandItemsStreamThroughWithAFlatHeap() throws Exception {
    long baseline = heapAfterGc();
    AtomicLong peak = new AtomicLong();
    // 12 KiB of raw pixels per item: 10,000 items buffered anywhere would be ~120 MiB.
    Result r =
        stream(
            10_000,
            i -> item(i, List.of("red star", "blue diamond")),
            done -> {
              if (done % 2_000 == 0) {
                peak.accumulateAndGet(heapAfterGc(), Math::max);
              }
            });

    assertThat(r.status.get(120, TimeUnit.SECONDS).isOk()).isTrue();
    assertThat(r.ok.get()).isEqualTo(10_000);
    assertThat(r.ids).hasSize(10_000);
    long growthMib = (peak.get() - baseline) >> 20;
    System.out.printf("10,000-item stream: heap growth at its peak %d MiB%n", growthMib);
    assertThat(growthMib).isLessThan(40);
  }

  @Test
  void badItemsGetTheirOwnErrorsAndTheStreamGoesOn() throws Exception {
    Result r =
        stream(
            100,
            i -> item(i, i % 10 == 3 ? List.of() : List.of("red star", "blue diamond")),
            done -> {});

    assertThat(r.status.get(30, TimeUnit.SECONDS).isOk()).isTrue();
    assertThat(r.ok.get()).isEqualTo(90);
    assertThat(r.errors).hasSize(10);
    assertThat(r.errors)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isEqualTo(
                        "INVALID_ARGUMENT: labels: none (expected: 1 to 1000 candidate labels, or a label_set)"));
  }

  @Test
  void anEmptyRequestIdEndsTheStream() throws Exception {
    Result r =
        stream(
            5,
            i ->
                i == 2
                    ? item(i, List.of("red star")).toBuilder().setRequestId("").build()
                    : item(i, List.of("red star")),
            done -> {});

    Status status = r.status.get(30, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("request_id: empty (expected: a non-empty id chosen by the client)");
  }

  private static ClassifyStreamRequest item(int i, List<String> labels) {
    byte[] pixels = new byte[64 * 64 * 3];
    pixels[i % pixels.length] = (byte) i;
    Image image =
        Image.newBuilder()
            .setRaw(
                RawImage.newBuilder()
                    .setWidth(64)
                    .setHeight(64)
                    .setFormat(PixelFormat.PIXEL_FORMAT_RGB8)
                    .setPixels(ByteString.copyFrom(pixels)))
            .build();
    return ClassifyStreamRequest.newBuilder()
        .setRequestId("item-" + i)
        .setRequest(ClassifyRequest.newBuilder().setImage(image).addAllLabels(labels).setTopK(1))
        .build();
  }

  private static final class Result {
    final CompletableFuture<Status> status = new CompletableFuture<>();
    final AtomicInteger ok = new AtomicInteger();
    final Set<String> ids = ConcurrentHashMap.newKeySet();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
  }

  /** Sends {@code total} items, made only when the transport can take them. */
  private static Result stream(
      int total, IntFunction<ClassifyStreamRequest> make, java.util.function.IntConsumer progress) {
    Result result = new Result();
    AtomicInteger answered = new AtomicInteger();
    ZeroShotServiceGrpc.newStub(running.channel)
        .classifyStream(
            new ClientResponseObserver<ClassifyStreamRequest, ClassifyStreamResponse>() {
              private int sent;

              @Override
              public void beforeStart(ClientCallStreamObserver<ClassifyStreamRequest> requests) {
                requests.setOnReadyHandler(
                    () -> {
                      while (requests.isReady() && sent < total) {
                        requests.onNext(make.apply(sent++));
                      }
                      if (sent == total) {
                        sent++;
                        requests.onCompleted();
                      }
                    });
              }

              @Override
              public void onNext(ClassifyStreamResponse r) {
                result.ids.add(r.getRequestId());
                if (r.hasError()) {
                  result.errors.add(
                      Status.fromCodeValue(r.getError().getCode()).getCode()
                          + ": "
                          + r.getError().getMessage());
                } else {
                  result.ok.incrementAndGet();
                }
                progress.accept(answered.incrementAndGet());
              }

              @Override
              public void onError(Throwable t) {
                result.status.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                result.status.complete(Status.OK);
              }
            });
    return result;
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
