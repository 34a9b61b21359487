package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.client.FakeZeroShotService;
import zeroshot.client.InProcessServer;
import zeroshot.client.ZeroShotClient;
import zeroshot.client.bench.GeneratedImages;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ListModelsRequest;

@Timeout(60)
class BenchCommandTest {

  private static final String[] SHORT = {
    "--warmup",
    "100ms",
    "--duration",
    "300ms",
    "--metrics-url",
    "none",
    "--generate",
    "3",
    "--size",
    "16x8",
    "--labels",
    "cat,dog"
  };

  @TempDir Path dir;

  private final FakeZeroShotService fake = new FakeZeroShotService();
  private final InProcessServer server = InProcessServer.withThreads(fake);
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  /** The settings the command asked its client for. */
  private final AtomicReference<ConnectionSettings> settingsUsed = new AtomicReference<>();

  private int run(String... args) {
    return run(true, args);
  }

  /** As {@link #run(String...)}; {@code metricsNone}: read no metrics unless args name a URL. */
  private int run(boolean metricsNone, String... args) {
    ClientFactory factory =
        settings -> {
          settingsUsed.set(settings);
          return ZeroShotClient.wrap(server.channel(), settings.deadline());
        };
    CommandLine commandLine = ZeroShotCli.commandLine(new ZeroShotCli(factory));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    // No initial warm-up unless a test asks for one: it would only slow the tests down.
    Stream<String> warmup =
        List.of(args).contains("--initial-warmup")
            ? Stream.of()
            : Stream.of("--initial-warmup", "0");
    // A test that names the metrics URL or an image folder replaces the short run's.
    List<String> shortRun = new ArrayList<>(List.of(SHORT));
    if (!metricsNone || List.of(args).contains("--metrics-url")) {
      shortRun.subList(4, 6).clear();
    }
    if (List.of(args).contains("--images")) {
      shortRun.subList(shortRun.indexOf("--generate"), shortRun.indexOf("--generate") + 2).clear();
    }
    return commandLine.execute(
        Stream.of(Stream.of("bench"), shortRun.stream(), warmup, Stream.of(args))
            .flatMap(s -> s)
            .toArray(String[]::new));
  }

  private JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  @Test
  void benchRunsCompletionsOnTheTransportThread() {
    int exitCode = run("--concurrency", "1", "--max-requests", "5");

    assertThat(exitCode).as(err.toString()).isZero();
    assertThat(settingsUsed.get().directExecutor()).isTrue();
  }

  @Test
  void closedLoopSweepPrintsATableAndWritesJson() throws Exception {
    Path report = dir.resolve("out/closed.json");

    int exitCode = run("--concurrency", "1,3", "--json", report.toString());

    assertThat(exitCode).as(err.toString()).isZero();
    assertThat(out.toString()).contains("ok/s", "p99.9 ms", "concurrency 1", "concurrency 3");
    JsonObject json = json(report);
    assertThat(json.get("mode").getAsString()).isEqualTo("closed");
    assertThat(json.get("rpc").getAsString()).isEqualTo("unary");
    assertThat(json.getAsJsonObject("images").get("count").getAsInt()).isEqualTo(3);
    JsonArray steps = json.getAsJsonArray("steps");
    assertThat(steps).hasSize(2);
    assertThat(steps.get(1).getAsJsonObject().get("concurrency").getAsInt()).isEqualTo(3);
    assertThat(steps.get(1).getAsJsonObject().get("ok").getAsLong()).isPositive();
    assertThat(steps.get(1).getAsJsonObject().get("server").isJsonNull()).isTrue();
    assertThat(fake.requests.poll()).isInstanceOf(ListModelsRequest.class); // reachable?
    ClassifyRequest sent = (ClassifyRequest) fake.requests.poll();
    assertThat(sent.getLabelsList()).isEqualTo(List.of("cat", "dog"));
    assertThat(sent.getTopK()).isEqualTo(1);
    assertThat(sent.getImage().getEncoded().size()).isPositive();
  }

  @Test
  void theReportNamesAnImageFolderRelativeToItsRepositoryNotByItsAbsolutePath() throws Exception {
    Files.createDirectory(dir.resolve(".git"));
    Path folder = Files.createDirectories(dir.resolve("models/tiny-clip/samples"));
    Files.write(folder.resolve("a.png"), GeneratedImages.png(1, 8, 8, 1).get(0));
    Path report = dir.resolve("out/folder.json");

    int exitCode =
        run("--images", folder.toString(), "--max-requests", "2", "--json", report.toString());

    assertThat(exitCode).as(err.toString()).isZero();
    JsonObject images = json(report).getAsJsonObject("images");
    assertThat(images.get("source").getAsString()).isEqualTo("models/tiny-clip/samples");
    assertThat(Files.readString(report)).doesNotContain(dir.toString());
  }

  @Test
  void anInitialWarmUpRunsBeforeTheFirstStepAndIsNotReported() throws Exception {
    Path report = dir.resolve("warm.json");

    int exitCode =
        run("--concurrency", "2", "--initial-warmup", "300ms", "--json", report.toString());

    assertThat(exitCode).isZero();
    JsonObject json = json(report);
    assertThat(json.get("initial_warmup_s").getAsDouble()).isEqualTo(0.3);
    assertThat(json.getAsJsonArray("steps")).hasSize(1);
    long measured = json.getAsJsonArray("steps").get(0).getAsJsonObject().get("sent").getAsLong();
    // ListModels, the initial warm-up, the step's own warm-up, then the measured requests.
    assertThat((long) fake.requests.size()).isGreaterThan(measured + 1);
  }

  @Test
  void openLoopOverAStream() throws Exception {
    Path report = dir.resolve("open.json");

    int exitCode =
        run(
            "--mode",
            "open",
            "--rate",
            "200",
            "--rpc",
            "stream",
            "--deadline",
            "1s",
            "--json",
            report.toString());

    assertThat(exitCode).isIn(ZeroShotCli.EXIT_OK, ZeroShotCli.EXIT_ITEMS_FAILED); // see below
    JsonObject step = json(report).getAsJsonArray("steps").get(0).getAsJsonObject();
    assertThat(step.get("target_rate_per_s").getAsDouble()).isEqualTo(200.0);
    assertThat(step.get("ok").getAsLong()).isPositive();
    assertThat(step.getAsJsonObject("errors").size()).isZero();
    // The fake holds a stream's last item until another arrives: at most one goes unanswered.
    assertThat(step.get("unanswered").getAsLong()).isLessThanOrEqualTo(1);
    assertThat(step.has("late_sends")).isTrue();
  }

  @Test
  void failedRequestsExitWithFour() {
    int exitCode = run("--concurrency", "2", "--template", "a photo");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_ITEMS_FAILED);
    assertThat(out.toString()).contains("INVALID_ARGUMENT=");
  }

  @Test
  void anUnreachableServerFailsBeforeTheRunWithThree() {
    fake.stopAnswering();

    int exitCode = run("--concurrency", "2", "--deadline", "200ms");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_RETRY_LATER);
    assertThat(err.toString()).contains("DEADLINE_EXCEEDED");
    assertThat(fake.requests).hasSize(1); // ListModels only: no load was sent
  }

  @Test
  void rejectsARateThatIsNotPositive() {
    assertThat(run("--mode", "open", "--rate", "0")).isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString()).contains("--rate: 0.0 (expected: > 0)");
  }

  /** Serves {@code text} as /metrics on loopback, as a server's Prometheus port would. */
  private static HttpServer metrics(String text) throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/metrics",
        exchange -> {
          byte[] body = text.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    return http;
  }

  private static String url(HttpServer http) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/metrics";
  }

  @Test
  void metricsOfAnotherServerAreNotReportedAndTheWarningNamesTheirUrl() throws Exception {
    Path report = dir.resolve("other.json");
    HttpServer other =
        metrics(
            "zeroshot_model_ready{device=\"cpu\",model=\"tiny-clip\",version=\"1.0.0\"} 1\n"
                + "zeroshot_batch_size_items_count{encoder=\"image\",model=\"tiny-clip\"} 9\n"
                + "zeroshot_batch_size_items_sum{encoder=\"image\",model=\"tiny-clip\"} 90\n");
    int exitCode;
    try {
      exitCode =
          run("--concurrency", "1", "--metrics-url", url(other), "--json", report.toString());
    } finally {
      other.stop(0);
    }

    assertThat(exitCode).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains(
            "warning: the metrics at "
                + url(other)
                + " are not those of the server under load: they list models [tiny-clip 1.0.0]"
                + " (expected: [fake-clip 7, fake-large 7], from ListModels); no server figures"
                + " (set --metrics-url to its /metrics)");
    JsonObject step = json(report).getAsJsonArray("steps").get(0).getAsJsonObject();
    assertThat(step.get("server").isJsonNull()).isTrue();
  }

  @Test
  void metricsOfTheTargetAreRead() throws Exception {
    Path report = dir.resolve("same.json");
    HttpServer same =
        metrics(
            "zeroshot_model_ready{device=\"cpu\",model=\"fake-clip\",version=\"7\"} 1\n"
                + "zeroshot_model_ready{device=\"cpu\",model=\"fake-large\",version=\"7\"} 0\n"
                + "zeroshot_batch_size_items_count{encoder=\"image\",model=\"fake-clip\"} 9\n"
                + "zeroshot_batch_size_items_sum{encoder=\"image\",model=\"fake-clip\"} 90\n");
    int exitCode;
    try {
      exitCode = run("--concurrency", "1", "--metrics-url", url(same), "--json", report.toString());
    } finally {
      same.stop(0);
    }

    assertThat(exitCode).as(err.toString()).isZero();
    assertThat(err.toString()).doesNotContain("warning");
    JsonObject step = json(report).getAsJsonArray("steps").get(0).getAsJsonObject();
    assertThat(step.get("server").isJsonObject()).isTrue(); // no batches between the scrapes
  }

  @Test
  void withoutMetricsUrlTheBenchScrapesThePortTheServerReports() throws Exception {
    Path report = dir.resolve("reported.json");
    HttpServer reported =
        metrics(
            "zeroshot_model_ready{device=\"cpu\",model=\"fake-clip\",version=\"7\"} 1\n"
                + "zeroshot_model_ready{device=\"cpu\",model=\"fake-large\",version=\"7\"} 0\n"
                + "zeroshot_batch_size_items_count{encoder=\"image\",model=\"fake-clip\"} 9\n"
                + "zeroshot_batch_size_items_sum{encoder=\"image\",model=\"fake-clip\"} 90\n");
    fake.metricsPort = reported.getAddress().getPort();
    int exitCode;
    try {
      exitCode =
          run(false, "--concurrency", "1", "--target", "127.0.0.1:1", "--json", report.toString());
    } finally {
      reported.stop(0);
    }

    assertThat(exitCode).as(err.toString()).isZero();
    assertThat(err.toString()).doesNotContain("warning");
    JsonObject step = json(report).getAsJsonArray("steps").get(0).getAsJsonObject();
    assertThat(step.get("server").isJsonObject()).isTrue();
  }

  @Test
  void aFolderWithoutImagesIsAUsageErrorWithoutCalling() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));

    int exitCode = run("--images", empty.toString());

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString())
        .isEqualTo(
            "error: "
                + empty
                + ": no images (expected: files ending in bmp, gif, jpeg, jpg, png, webp)"
                + System.lineSeparator());
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void metricsUrlDefaultsToTheTargetHost() {
    assertThat(BenchTable.defaultMetricsUrl("localhost:50051"))
        .isEqualTo("http://localhost:9464/metrics");
    assertThat(BenchTable.defaultMetricsUrl("dns:///10.0.0.7:50051"))
        .isEqualTo("http://10.0.0.7:9464/metrics");
    assertThat(BenchTable.defaultMetricsUrl("[::1]:50051")).isEqualTo("http://[::1]:9464/metrics");
    assertThat(BenchTable.defaultMetricsUrl("zeroshot")).isEqualTo("http://zeroshot:9464/metrics");
    // The port the server reports in ListModels wins over the default.
    assertThat(BenchTable.defaultMetricsUrl("dns:///10.0.0.7:50051", 9584))
        .isEqualTo("http://10.0.0.7:9584/metrics");
    assertThat(BenchTable.defaultMetricsUrl("localhost:50051", 0))
        .isEqualTo("http://localhost:9464/metrics");
  }
}
