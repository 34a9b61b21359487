package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static final LatencySummary LATENCY =
      new LatencySummary(900, 1.5, 2.5, 4.0, 6.0, 7.0, 1.7);
  private static final LatencySummary REJECTED =
      new LatencySummary(100, 0.5, 0.75, 1.0, 1.25, 1.5, 0.6);
  private static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

  @Test
  void reportHasTheSettingsAndOneObjectPerStep() {
    BenchReport report =
        new BenchReport(Map.of("target", "localhost:50051"), Instant.parse("2026-11-29T08:00:00Z"));
    report.addClosed(
        8,
        new StepResult(
                "concurrency 8",
                1_000,
                900,
                new TreeMap<>(Map.of("UNAVAILABLE", 100L)),
                0,
                2.0,
                LATENCY,
                REJECTED,
                null,
                null)
            .withServer(new ServerFigures(150, 900, 6.0, 1.25, 2.5)),
        0.25);
    report.addOpen(
        200,
        new StepResult(
            "rate 200/s", 400, 400, Map.of(), 0, 2.0, LATENCY, NONE, new SendLag(3, 2.5), null),
        null);

    JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();

    assertThat(json.get("tool").getAsString()).isEqualTo("zeroshot bench");
    assertThat(json.get("tool_version").getAsString())
        .isEqualTo(System.getProperty("project.version"));
    assertThat(json.get("date").getAsString()).isEqualTo("2026-11-29T08:00:00Z");
    assertThat(json.getAsJsonObject("machine").get("cores").getAsInt()).isPositive();
    assertThat(json.get("target").getAsString()).isEqualTo("localhost:50051");
    JsonObject closed = json.getAsJsonArray("steps").get(0).getAsJsonObject();
    assertThat(closed.keySet())
        .containsExactly(
            "concurrency",
            "label",
            "seconds",
            "sent",
            "ok",
            "errors",
            "unanswered",
            "throughput_per_s",
            "latency_ms",
            "rejected_latency_ms",
            "server",
            "client_cpu_share");
    assertThat(closed.get("throughput_per_s").getAsDouble()).isEqualTo(450.0);
    assertThat(closed.getAsJsonObject("errors").get("UNAVAILABLE").getAsLong()).isEqualTo(100);
    assertThat(closed.getAsJsonObject("latency_ms").keySet())
        .containsExactly("count", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "mean_ms");
    assertThat(closed.getAsJsonObject("latency_ms").get("p99_ms").getAsDouble()).isEqualTo(4.0);
    assertThat(closed.getAsJsonObject("rejected_latency_ms").get("p99_ms").getAsDouble())
        .isEqualTo(1.0);
    assertThat(closed.getAsJsonObject("server").get("mean_batch_size").getAsDouble())
        .isEqualTo(6.0);
    JsonObject open = json.getAsJsonArray("steps").get(1).getAsJsonObject();
    assertThat(open.get("target_rate_per_s").getAsDouble()).isEqualTo(200.0);
    assertThat(open.get("late_sends").getAsLong()).isEqualTo(3);
    assertThat(open.get("max_send_lag_ms").getAsDouble()).isEqualTo(2.5);
    assertThat(open.get("server").isJsonNull()).isTrue();
    assertThat(closed.get("client_cpu_share").getAsDouble()).isEqualTo(0.25);
    assertThat(open.get("client_cpu_share").isJsonNull()).isTrue();
  }
}
