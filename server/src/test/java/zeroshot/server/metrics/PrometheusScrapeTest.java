package zeroshot.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.Image;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.ListModelsRequest;
import zeroshot.v1.PutLabelSetRequest;

/**
 * The real thing: Debian's {@code prometheus} scrapes a live server (bundled tiny-clip model, CPU)
 * every second, and every dashboard query and every alert expression is evaluated through its HTTP
 * API. Dashboard queries must return data (except the documented {@link #NO_DATA_PANELS}); alert
 * expressions must evaluate (they are empty on a healthy server), their left-hand sides and metric
 * selectors must return data (except {@link #NO_DATA_SELECTORS}), and Prometheus must load the rule
 * file and evaluate every rule without error. Skipped without {@code /usr/bin/prometheus}.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@EnabledIf(
    value = "zeroshot.server.metrics.PrometheusScrapeTest#prometheusInstalled",
    disabledReason = PrometheusScrapeTest.NO_PROMETHEUS)
class PrometheusScrapeTest {
  static final String NO_PROMETHEUS = "/usr/bin/prometheus missing: apt-get install prometheus";

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final String JOB = "zeroshot-serve";
  private static final String RATE_WINDOW = "30s";
  private static final int MIN_SCRAPES = 6;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Dashboard panels that legitimately return no data on this CPU-only test server, with the
   * reason. Every other panel must return at least one series for every target.
   */
  private static final Map<String, String> NO_DATA_PANELS =
      Map.of(
          "Device memory used",
          "zeroshot_device_memory_used_bytes is absent on CPU-only servers (docs/metrics.md); the"
              + " panel shows its noValue text instead");

  /**
   * Metric selectors inside alert expressions that legitimately return nothing here, with the
   * reason. The alerts whose left-hand side contains one of them are then empty too.
   */
  private static final Map<String, String> NO_DATA_SELECTORS =
      Map.of(
          "zeroshot_grpc_requests_total{code=~\"UNKNOWN|INTERNAL|UNAVAILABLE|DEADLINE_EXCEEDED|DATA_LOSS\"}",
          "a healthy server returns no server-fault codes, and a (method, code) series of"
              + " zeroshot_grpc_requests_total only exists after its first increment");

  /** Alerts whose threshold depends on machine speed: not asserted to be silent. */
  private static final List<String> TIMING_DEPENDENT_ALERTS =
      List.of("ZeroShotClassifyLatencyHigh");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static RunningServer running;
  private static ScheduledExecutorService traffic;
  private static Process prometheus;
  private static Path work;
  private static Path log;
  private static String api;
  private static ClassifyRequest ok;

  /** For the class's {@code @EnabledIf}: counted as skipped, with the reason, without it. */
  static boolean prometheusInstalled() {
    boolean installed = Files.isExecutable(PROMETHEUS);
    if (!installed) {
      System.err.println("skipping PrometheusScrapeTest: " + NO_PROMETHEUS);
    }
    return installed;
  }

  @BeforeAll
  static void scrapeALiveServer() throws Exception {
    running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 2, 64, Limits.defaults(), Duration.ofSeconds(5)),
            TorchScriptClipModel::load);
    workload();
    // jvm_gc_pause_seconds only exists after a first collection: make sure there was one.
    System.gc();

    work = Files.createTempDirectory("prometheus-scrape-test");
    log = work.resolve("prometheus.log");
    int port = freePort();
    api = "http://127.0.0.1:" + port + "/api/v1/";
    Path alerts = TestModels.repoRoot().resolve("monitoring/prometheus/zeroshot-alerts.yml");
    Files.writeString(
        work.resolve("prometheus.yml"),
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - '" + alerts + "'",
            "scrape_configs:",
            "  - job_name: " + JOB,
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + running.server.metricsPort() + "']",
            ""));
    traffic = Executors.newSingleThreadScheduledExecutor();
    traffic.scheduleWithFixedDelay(
        PrometheusScrapeTest::someTraffic, 0, 300, TimeUnit.MILLISECONDS);
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitScrapes();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (traffic != null) {
        traffic.shutdownNow();
        traffic.awaitTermination(5, TimeUnit.SECONDS);
      }
      if (running != null) {
        running.close();
      }
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  @Test
  void everyDashboardQueryReturnsData() throws Exception {
    JsonObject dashboard =
        JsonParser.parseString(
                Files.readString(
                    TestModels.repoRoot().resolve("monitoring/grafana/zeroshot-serve.json")))
            .getAsJsonObject();
    List<String[]> targets = new ArrayList<>(); // {panel title, refId, expr}
    collectTargets(dashboard.getAsJsonArray("panels"), targets);
    assertThat(targets).hasSizeGreaterThan(20);

    Map<String, Integer> table = new LinkedHashMap<>();
    List<String> empty = new ArrayList<>();
    for (String[] t : targets) {
      String query = substitute(t[2]);
      assertThat(query).as(t[0] + ": unsubstituted variable in " + query).doesNotContain("$");
      int series = query(query).size();
      table.put(t[0] + " [" + t[1] + "]", series);
      if (series == 0) {
        empty.add(t[0]);
      }
    }
    System.out.println("panel [refId] -> series returned by the live Prometheus");
    table.forEach((panel, n) -> System.out.printf("  %-48s %3d%n", panel, n));

    assertThat(empty)
        .as("dashboard panels without data (allowed: %s); table: %s", NO_DATA_PANELS, table)
        .allMatch(NO_DATA_PANELS::containsKey);
    // The workload's effects are visible through Prometheus, not just "some series".
    assertThat(value(query("zeroshot_label_sets").get(0))).isEqualTo(1);
    assertThat(
            query("zeroshot_grpc_requests_total{method=\"Classify\", code=\"INVALID_ARGUMENT\"}"))
        .singleElement()
        .satisfies(s -> assertThat(value(s)).isEqualTo(2));
    assertThat(NO_DATA_PANELS.keySet())
        .as("allow-listed panels that do exist in the dashboard")
        .allMatch(p -> targets.stream().anyMatch(t -> t[0].equals(p)));
  }

  @Test
  void everyAlertExpressionEvaluatesAndItsInputsReturnData() throws Exception {
    String yaml =
        Files.readString(
            TestModels.repoRoot().resolve("monitoring/prometheus/zeroshot-alerts.yml"));
    Map<String, String> alerts = alertExprs(yaml);
    assertThat(alerts).hasSize(yaml.split("- alert:", -1).length - 1);
    assertThat(alerts)
        .hasSizeGreaterThanOrEqualTo(8)
        .allSatisfy((n, e) -> assertThat(e).isNotBlank());
    Pattern comparison =
        Pattern.compile("(?s)^(.*[^=<>!\\s])\\s*(==|!=|>=|<=|>|<)\\s*(-?[0-9.]+)$");
    Pattern selector =
        Pattern.compile(
            "(?<![\\w.])(zeroshot_[a-z0-9_]+|jvm_[a-z0-9_]+|process_[a-z0-9_]+|up(?=\\{))(\\{[^}]*})?");
    System.out.println("alert -> series of expr / of its left-hand side");
    for (Map.Entry<String, String> alert : alerts.entrySet()) {
      String name = alert.getKey();
      String expr = alert.getValue().strip();
      JsonArray firing = query(expr);
      if (!TIMING_DEPENDENT_ALERTS.contains(name)) {
        assertThat(firing).as(name + " fires on a healthy server: " + firing).isEmpty();
      }

      List<String> unexplained = new ArrayList<>();
      Matcher m = selector.matcher(expr);
      while (m.find()) {
        String sel = m.group();
        if (query(sel).isEmpty() && !NO_DATA_SELECTORS.containsKey(sel)) {
          unexplained.add(sel);
        }
      }
      assertThat(unexplained).as(name + ": selectors without data").isEmpty();

      Matcher c = comparison.matcher(expr);
      assertThat(c.matches()).as(name + ": expected `<expr> <op> <number>`: " + expr).isTrue();
      String lhs = c.group(1);
      int lhsSeries = query(lhs).size();
      System.out.printf("  %-36s %3d / %3d%n", name, firing.size(), lhsSeries);
      boolean explained = NO_DATA_SELECTORS.keySet().stream().anyMatch(lhs::contains);
      if (!explained) {
        assertThat(lhsSeries).as(name + ": left-hand side without data: " + lhs).isPositive();
      }
    }
  }

  @Test
  void prometheusLoadsAndEvaluatesEveryRule() throws Exception {
    JsonArray groups = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    boolean evaluated = false;
    while (!evaluated && System.nanoTime() < deadline) {
      groups = get("rules?type=alert").getAsJsonObject("data").getAsJsonArray("groups");
      evaluated =
          !groups.isEmpty()
              && groups.asList().stream()
                  .flatMap(g -> g.getAsJsonObject().getAsJsonArray("rules").asList().stream())
                  .allMatch(
                      r -> !r.getAsJsonObject().get("health").getAsString().equals("unknown"));
      if (!evaluated) {
        Thread.sleep(250);
      }
    }
    assertThat(evaluated).as("rules evaluated: " + groups).isTrue();
    int rules = 0;
    for (JsonElement g : groups) {
      for (JsonElement r : g.getAsJsonObject().getAsJsonArray("rules")) {
        JsonObject rule = r.getAsJsonObject();
        rules++;
        assertThat(rule.get("health").getAsString())
            .as(rule.get("name").getAsString() + ": " + rule.get("lastError"))
            .isEqualTo("ok");
      }
    }
    assertThat(rules).isGreaterThanOrEqualTo(8);
  }

  // ---- traffic ------------------------------------------------------------------------------

  private static void workload() throws IOException {
    byte[] image =
        Files.readAllBytes(TestModels.tinyClip().resolve("samples/shape_013_red_star.png"));
    ok =
        ClassifyRequest.newBuilder()
            .setImage(Image.newBuilder().setEncoded(ByteString.copyFrom(image)))
            .addAllLabels(List.of("red star", "red circle", "sneaker"))
            .setPromptTemplate("a photo of a {}")
            .setTopK(1)
            .build();
    LabelSet.Builder set =
        LabelSet.newBuilder().setName("shapes").addPromptTemplates("a photo of a {}");
    for (String label : List.of("red star", "blue circle", "green square")) {
      set.addLabels(LabelSetEntry.newBuilder().setLabel(label));
    }
    running.blocking().putLabelSet(PutLabelSetRequest.newBuilder().setLabelSet(set).build());
    running.blocking().listModels(ListModelsRequest.getDefaultInstance());
    for (int i = 0; i < 5; i++) {
      running.blocking().classify(ok);
    }
    running
        .blocking()
        .classify(ok.toBuilder().clearLabels().clearPromptTemplate().setLabelSet("shapes").build());
    for (int i = 0; i < 2; i++) {
      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> running.blocking().classify(ok.toBuilder().clearLabels().build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
    for (int i = 0; i < 3; i++) {
      running
          .blocking()
          .embedTexts(
              EmbedTextsRequest.newBuilder()
                  .addTexts("a red star")
                  .addTexts("sneaker " + i)
                  .build());
    }
  }

  private static void someTraffic() {
    try {
      running.blocking().classify(ok);
      running.blocking().embedTexts(EmbedTextsRequest.newBuilder().addTexts("a red star").build());
    } catch (RuntimeException e) {
      // keep going: the assertions on what Prometheus saw decide
    }
  }

  // ---- Prometheus ---------------------------------------------------------------------------

  private static void awaitScrapes() throws Exception {
    String scrapes = "count_over_time(up{job=\"" + JOB + "\"}[1m])";
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "prometheus not answering";
    while (System.nanoTime() < deadline) {
      assertThat(prometheus.isAlive()).as("prometheus exited: " + logTail()).isTrue();
      try {
        JsonArray up = query("up{job=\"" + JOB + "\"}");
        JsonArray count = query(scrapes);
        last = "up=" + up + " scrapes=" + count;
        if (up.size() == 1
            && value(up.get(0)) == 1
            && count.size() == 1
            && value(count.get(0)) >= MIN_SCRAPES) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no " + MIN_SCRAPES + " good scrapes within " + READY_TIMEOUT + ": " + last + logTail());
  }

  /** The result vector of an instant query; fails unless status is success. */
  private static JsonArray query(String promql) throws Exception {
    JsonObject body = get("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    assertThat(body.get("status").getAsString()).as(promql + " -> " + body).isEqualTo("success");
    JsonObject data = body.getAsJsonObject("data");
    assertThat(data.get("resultType").getAsString()).as(promql).isEqualTo("vector");
    return data.getAsJsonArray("result");
  }

  private static JsonObject get(String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      // e.g. 503 "Service Unavailable" in plain text while Prometheus is still starting
      throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
    }
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static double value(JsonElement sample) {
    return Double.parseDouble(
        sample.getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
  }

  private static String logTail() {
    try {
      String text = Files.readString(log);
      return "\n--- prometheus log ---\n" + text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "";
    }
  }

  // ---- dashboard and rules files -------------------------------------------------------------

  private static void collectTargets(JsonArray panels, List<String[]> out) {
    if (panels == null) {
      return;
    }
    for (JsonElement p : panels) {
      JsonObject panel = p.getAsJsonObject();
      collectTargets(panel.getAsJsonArray("panels"), out); // rows (collapsed rows nest panels)
      if (panel.has("targets")) {
        for (JsonElement t : panel.getAsJsonArray("targets")) {
          JsonObject target = t.getAsJsonObject();
          if (target.has("expr")) {
            out.add(
                new String[] {
                  panel.get("title").getAsString(),
                  target.has("refId") ? target.get("refId").getAsString() : "?",
                  target.get("expr").getAsString()
                });
          }
        }
      }
    }
  }

  /** Grafana's variables, as the dashboard would expand them for model tiny-clip, all pods. */
  static String substitute(String expr) {
    return expr.replace("${__rate_interval}", RATE_WINDOW)
        .replace("$__rate_interval", RATE_WINDOW)
        .replace("${__interval}", RATE_WINDOW)
        .replace("$__interval", RATE_WINDOW)
        .replace("${__range}", "1m")
        .replace("$__range", "1m")
        .replace("${model}", "tiny-clip")
        .replace("$model", "tiny-clip")
        .replace("${pod}", ".*")
        .replace("$pod", ".*");
  }

  /** alert name → expr, from the rules file (block scalar {@code expr: |} or a one-line expr). */
  static Map<String, String> alertExprs(String yaml) {
    Map<String, String> out = new LinkedHashMap<>();
    String[] lines = yaml.split("\n", -1);
    String alert = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.startsWith("- alert:")) {
        alert = trimmed.substring("- alert:".length()).strip();
      } else if (alert != null && trimmed.startsWith("expr:")) {
        String rest = trimmed.substring("expr:".length()).strip();
        int indent = line.indexOf("expr:");
        StringBuilder expr = new StringBuilder();
        if (rest.equals("|") || rest.equals(">") || rest.equals("|-") || rest.equals(">-")) {
          while (i + 1 < lines.length
              && (lines[i + 1].isBlank() || indentOf(lines[i + 1]) > indent)) {
            expr.append(lines[++i].strip()).append(rest.startsWith("|") ? "\n" : " ");
          }
        } else {
          expr.append(rest);
        }
        out.put(alert, expr.toString().strip());
        alert = null;
      }
    }
    return out;
  }

  private static int indentOf(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
