package zeroshot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.testing.OpenStream;
import zeroshot.server.testing.ServerProcess;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.Image;
import zeroshot.v1.ListModelsRequest;
import zeroshot.v1.PixelFormat;
import zeroshot.v1.RawImage;
import zeroshot.v1.ZeroShotServiceGrpc;

/**
 * SIGTERM to a real server process (the bundled model, ServerMain as the image runs it) while a
 * ClassifyStream is open: every item it read is answered, the stream ends UNAVAILABLE, and the
 * process exits soon after the last answer instead of after the whole shutdown grace. Its log, on a
 * machine without a GPU, says so once and has a time on every line.
 */
class ServerProcessShutdownTest {
  private ServerProcess server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @TempDir Path dir;

  @Test
  void sigtermAnswersEveryItemReadEndsTheStreamAndExitsWellWithinTheGrace() throws Exception {
    Path log = dir.resolve("server.log");
    server =
        ServerProcess.start(
            log,
            List.of(),
            List.of("--device", "auto", "--shutdown-grace", "10s"),
            Duration.ofSeconds(60));
    int port = server.port();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    // --metrics-port -1: no metrics, and ListModels says so with port 0.
    assertThat(
            ZeroShotServiceGrpc.newBlockingStub(channel)
                .listModels(ListModelsRequest.getDefaultInstance())
                .getMetricsPort())
        .isZero();
    OpenStream stream = new OpenStream(channel, 1_000_000, i -> request(i));
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (stream.answered.size() < 500 && System.nanoTime() < waitUntil) {
      Thread.sleep(10); // polling a live process: nothing to inject a clock into
    }
    assertThat(stream.answered).as("answers before SIGTERM").hasSizeGreaterThanOrEqualTo(500);

    server.terminate(); // SIGTERM
    Status end = stream.status.get(10, TimeUnit.SECONDS);
    assertThat(server.waitFor(Duration.ofSeconds(10))).as("exited within the grace").isTrue();
    long exitedNanos = System.nanoTime();

    assertThat(end.getCode()).as("%s", end).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(end.getDescription()).contains("shutting down");
    // Items arrive in order: whatever the server read is a prefix of what was sent, and each
    // read item was answered (a result, or UNAVAILABLE if it arrived after the shutdown began).
    int n = stream.answered.size();
    assertThat(stream.answered.keySet())
        .isEqualTo(IntStream.range(0, n).mapToObj(i -> "item-" + i).collect(Collectors.toSet()));
    assertThat(stream.answered.values())
        .allSatisfy(
            a ->
                assertThat(
                        a.hasResponse()
                            || a.getError().getCode() == Status.Code.UNAVAILABLE.value())
                    .as("%s", a)
                    .isTrue());
    long afterLastAnswerMs = (exitedNanos - stream.lastAnswerNanos.get()) / 1_000_000;
    System.out.printf(
        "SIGTERM under a stream: %d items answered, exit seen %d ms after the last answer%n",
        n, afterLastAnswerMs);
    assertThat(afterLastAnswerMs).as("exit after the last answer, ms").isLessThan(2_000);
    String lines = server.log();
    assertThat(lines).contains("ZeroShotServer - stopped");
    // On a machine without a GPU: said once, at INFO, not as DJL's warnings; every line timed.
    assertThat(lines.split("no GPU found, serving on the CPU", -1)).hasSize(2);
    assertThat(lines).doesNotContain("Failed to detect GPU count");
    assertThat(lines.lines().filter(l -> l.contains(" INFO ") || l.contains(" WARN ")))
        .isNotEmpty()
        .allMatch(l -> l.matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}.*"));
  }

  private static ClassifyRequest request(int i) {
    byte[] pixels = new byte[8 * 8 * 3];
    pixels[i % pixels.length] = (byte) i;
    return ClassifyRequest.newBuilder()
        .setImage(
            Image.newBuilder()
                .setRaw(
                    RawImage.newBuilder()
                        .setWidth(8)
                        .setHeight(8)
                        .setFormat(PixelFormat.PIXEL_FORMAT_RGB8)
                        .setPixels(ByteString.copyFrom(pixels))))
        .addAllLabels(List.of("red star", "blue circle"))
        .build();
  }
}
