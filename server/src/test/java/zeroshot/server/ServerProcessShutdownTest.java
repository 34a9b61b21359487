package zeroshot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.OpenStream;
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
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private Process server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null && server.isAlive()) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @TempDir Path dir;

  @Test
  void sigtermAnswersEveryItemReadEndsTheStreamAndExitsWellWithinTheGrace() throws Exception {
    ProcessBuilder command =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ServerMain.class.getName(),
                "--model-dir",
                TestModels.tinyClip().toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--metrics-port",
                "-1",
                "--device",
                "auto",
                "--shutdown-grace",
                "10s")
            .redirectErrorStream(true);
    command.environment().put("DJL_OFFLINE", "true");
    // To a file, not a pipe: a pipe may lose what the process writes as it exits.
    Path log = dir.resolve("server.log");
    server = command.redirectOutput(log.toFile()).start();
    long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains("ZeroShot Serve ready")) {
      assertThat(System.nanoTime() < readyBy && server.isAlive())
          .as("server ready in 60 s:%n%s", Files.readString(log))
          .isTrue();
      Thread.sleep(50); // polling a live process: nothing to inject a clock into
    }
    Matcher listening = LISTENING.matcher(Files.readString(log));
    assertThat(listening.find()).isTrue();
    int port = Integer.parseInt(listening.group(1));
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

    server.destroy(); // SIGTERM
    Status end = stream.status.get(10, TimeUnit.SECONDS);
    assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("exited within the grace").isTrue();
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
    String lines = Files.readString(log);
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
