package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.BatchStats;
import zeroshot.server.testing.CountingLoader;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;

/** /metrics of a live server after a known workload: the counts it must show, well formed. */
class MetricsOverHttpTest {
  private static final CountingLoader counting = new CountingLoader(TorchScriptClipModel::load);
  private static RunningServer running;
  private static String scrape;

  @BeforeAll
  static void runWorkload() throws Exception {
    running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 2, 64, Limits.defaults(), Duration.ofSeconds(5)),
            counting);
    ClassifyRequest ok =
        TinyClipOverGrpcTest.request(
            TinyClipOverGrpcTest.sample("shape_013_red_star.png"),
            List.of("red star", "red circle", "sneaker"),
            "a photo of a {}",
            1);
    for (int i = 0; i < 5; i++) {
      running.blocking().classify(ok);
    }
    for (int i = 0; i < 2; i++) {
      catchThrowableOfType(
          StatusRuntimeException.class,
          () -> running.blocking().classify(ok.toBuilder().clearLabels().build()));
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + running.server.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    scrape = response.body();
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
  }

  @Test
  void listModelsReportsThePortOfMetrics() {
    assertThat(
            running
                .blocking()
                .listModels(zeroshot.v1.ListModelsRequest.getDefaultInstance())
                .getMetricsPort())
        .isEqualTo(running.server.metricsPort())
        .isPositive();
  }

  @Test
  void callsAreCountedByMethodAndCode() {
    assertThat(value("zeroshot_grpc_requests_total{code=\"OK\",method=\"Classify\"}")).isEqualTo(5);
    assertThat(value("zeroshot_grpc_requests_total{code=\"INVALID_ARGUMENT\",method=\"Classify\"}"))
        .isEqualTo(2);
    assertThat(
            value(
                "zeroshot_grpc_request_duration_seconds_bucket{code=\"OK\",method=\"Classify\",le=\"+Inf\"}"))
        .isEqualTo(5);
  }

  @Test
  void batchAndCacheMetricsMatchWhatTheServerDid() {
    BatchStats image = counting.imageStats();
    String tags = "{encoder=\"image\",model=\"tiny-clip\"}";
    assertThat(value("zeroshot_batch_size_items_count" + tags)).isEqualTo(image.batches());
    assertThat(value("zeroshot_batch_size_items_sum" + tags)).isEqualTo(image.items());
    assertThat(value("zeroshot_batch_queue_depth_items" + tags)).isZero();
    assertThat(value("zeroshot_label_cache_requests_total{result=\"miss\"}")).isEqualTo(3);
    assertThat(value("zeroshot_label_cache_requests_total{result=\"hit\"}")).isEqualTo(12);
    assertThat(value("zeroshot_label_cache_entries")).isEqualTo(3);
    assertThat(value("zeroshot_preprocess_duration_seconds_count{model=\"tiny-clip\"}"))
        .isEqualTo(5);
    assertThat(
            value("zeroshot_model_ready{device=\"cpu()\",model=\"tiny-clip\",version=\"5.0.0\"}"))
        .isEqualTo(1);
    assertThat(value("zeroshot_label_sets")).isZero();
  }

  @Test
  void everyMetricHasHelpAndSnakeCaseLabelsAndNoUnboundedValues() {
    Set<String> helped = new HashSet<>();
    Matcher help = Pattern.compile("(?m)^# HELP (\\S+) .+$").matcher(scrape);
    while (help.find()) {
      helped.add(help.group(1));
    }
    Matcher sample = Pattern.compile("(?m)^([a-z_:][a-z0-9_:]*)(\\{[^}]*})? \\S+").matcher(scrape);
    int samples = 0;
    while (sample.find()) {
      samples++;
      String name = sample.group(1).replaceAll("_(bucket|count|sum|total|created)$", "");
      assertThat(helped)
          .as("HELP for " + sample.group(1))
          .anyMatch(h -> h.startsWith(name) || name.startsWith(h));
      if (sample.group(2) != null) {
        assertThat(sample.group(2))
            .doesNotContain("red star")
            .matches("\\{([a-z_]+=\"[^\"]*\",?)*}");
      }
    }
    assertThat(samples).isGreaterThan(50);
  }

  @Test
  void promtoolAcceptsTheExposition(@TempDir Path dir) throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/promtool")))
        .as("promtool missing: apt-get install prometheus")
        .isTrue();
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, scrape);
    Process p =
        new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as(out).isEmpty();
    assertThat(p.exitValue()).isZero();
  }

  private static double value(String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    throw new AssertionError("no series " + series + " in /metrics");
  }
}
