package zeroshot.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.client.cli.ZeroShotCli;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.RunningServer;

/**
 * {@code zeroshot bench} against the real server on loopback with the bundled model, at tiny scale:
 * the load generator, the server and the metrics delta fit together. Asserts that it works, not how
 * fast (the benchmark suite measures that).
 */
@Timeout(120)
class BenchSmokeTest {

  private static RunningServer running;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 0, 1_024, Limits.defaults(), Duration.ofSeconds(5)),
            TorchScriptClipModel::load);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    running.close();
  }

  private JsonObject bench(Path json, String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ZeroShotCli());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] common = {
      "bench",
      "--target",
      "127.0.0.1:" + running.server.port(),
      "--metrics-url",
      "http://127.0.0.1:" + running.server.metricsPort() + "/metrics",
      "--images",
      TestModels.tinyClip().resolve("samples").toString(),
      "--labels",
      "red star,blue circle,sneaker",
      "--template",
      "a photo of a {}",
      "--initial-warmup",
      "500ms",
      "--warmup",
      "500ms",
      "--duration",
      "2s",
      "--no-progress",
      "--json",
      json.toString()
    };
    String[] all = new String[common.length + args.length];
    System.arraycopy(common, 0, all, 0, common.length);
    System.arraycopy(args, 0, all, common.length, args.length);

    int exitCode = cli.execute(all);

    assertThat(exitCode).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
    assertThat(err.toString()).doesNotContain("cannot read the server's metrics");
    return JsonParser.parseString(Files.readString(json)).getAsJsonObject();
  }

  @Test
  void closedLoopOfFourCallersReadsTheServersBatches() throws Exception {
    JsonObject step =
        bench(dir.resolve("closed.json"), "--concurrency", "4")
            .getAsJsonArray("steps")
            .get(0)
            .getAsJsonObject();

    assertThat(step.get("ok").getAsLong()).isPositive();
    assertThat(step.getAsJsonObject("errors").size()).isZero();
    assertThat(step.get("unanswered").getAsLong()).isZero();
    JsonObject server = step.getAsJsonObject("server");
    assertThat(server.get("batches").getAsLong()).isPositive();
    // The measured images went through batches; the scrapes bracket the measured phase only to
    // within a few milliseconds, so a few items either side come and go.
    assertThat(server.get("items").getAsLong())
        .isCloseTo(step.get("ok").getAsLong(), withinPercentage(5));
    assertThat(server.get("mean_batch_size").getAsDouble()).isBetween(1.0, 8.0);
  }

  @Test
  void openLoopOverAStream() throws Exception {
    JsonObject step =
        bench(dir.resolve("open.json"), "--mode", "open", "--rate", "100", "--rpc", "stream")
            .getAsJsonArray("steps")
            .get(0)
            .getAsJsonObject();

    assertThat(step.get("ok").getAsLong()).isPositive();
    assertThat(step.getAsJsonObject("errors").size()).isZero();
    assertThat(step.getAsJsonObject("server").get("batches").getAsLong()).isPositive();
  }
}
