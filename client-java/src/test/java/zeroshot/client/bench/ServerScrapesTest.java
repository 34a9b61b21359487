package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import zeroshot.v1.ListModelsResponse;
import zeroshot.v1.ModelInfo;

class ServerScrapesTest {

  private static final LatencySummary LATENCY = new LatencySummary(1, 1, 1, 1, 1, 1, 1);
  private static final StepResult RESULT =
      new StepResult("concurrency 1", 1, 1, Map.of(), 0, 1, LATENCY, LATENCY, null, null);

  private static final String URL = "http://localhost:9464/metrics";

  /** What the server under load lists: model m, version 1. */
  private static final ListModelsResponse SERVED =
      ListModelsResponse.newBuilder()
          .setDefaultModel("m")
          .addModels(ModelInfo.newBuilder().setName("m").setVersion("1"))
          .build();

  private final List<String> warnings = new ArrayList<>();

  private static List<PrometheusText.Sample> batches(long count, long items) {
    return PrometheusText.parse(
        "zeroshot_model_ready{device=\"cpu\",model=\"m\",version=\"1\"} 1\n"
            + "zeroshot_batch_size_items_count{encoder=\"image\",model=\"m\"} "
            + count
            + "\nzeroshot_batch_size_items_sum{encoder=\"image\",model=\"m\"} "
            + items
            + "\n");
  }

  @Test
  void addsTheDifferenceOfTheScrapesAroundTheMeasuredPhase() {
    AtomicInteger scrapes = new AtomicInteger();
    MetricsSource source = () -> batches(10L * scrapes.incrementAndGet(), 40L * scrapes.get());
    ServerScrapes around = new ServerScrapes(source, URL, "m", warnings::add);
    around.prime(SERVED); // scrape 1

    StepResult result = around.around(Duration.ofMillis(10), () -> RESULT); // scrapes 2 and 3

    assertThat(result.server()).isEqualTo(new ServerFigures(10, 40, 4.0, 0, 0));
    assertThat(scrapes.get()).isEqualTo(3);
    assertThat(warnings).isEmpty();
  }

  @Test
  void aSourceThatFailsAtFirstIsWarnedAboutOnceAndNotTriedAgain() {
    AtomicInteger scrapes = new AtomicInteger();
    MetricsSource source =
        () -> {
          scrapes.incrementAndGet();
          throw new IOException("Connection refused");
        };
    ServerScrapes around = new ServerScrapes(source, URL, null, warnings::add);
    around.prime(SERVED);

    StepResult first = around.around(Duration.ZERO, () -> RESULT);
    StepResult second = around.around(Duration.ZERO, () -> RESULT);

    assertThat(first.server()).isNull();
    assertThat(second.server()).isNull();
    assertThat(scrapes.get()).isEqualTo(1);
    assertThat(warnings)
        .containsExactly(
            "cannot read the server's metrics at http://localhost:9464/metrics (Connection"
                + " refused); no server figures (set --metrics-url to its /metrics, or none)");
  }

  @Test
  void metricsOfAnotherServerAreWarnedAboutByTheirUrlAndNeverReported() {
    // Another server on the target's host answers on the default port 9464 with other models.
    AtomicInteger scrapes = new AtomicInteger();
    MetricsSource other =
        () -> {
          scrapes.incrementAndGet();
          return PrometheusText.parse(
              "zeroshot_model_ready{device=\"cpu\",model=\"other\",version=\"2\"} 1\n"
                  + "zeroshot_batch_size_items_count{encoder=\"image\",model=\"other\"} 5\n");
        };
    ServerScrapes around = new ServerScrapes(other, URL, null, warnings::add);
    around.prime(SERVED);

    StepResult result = around.around(Duration.ZERO, () -> RESULT);

    assertThat(result.server()).isNull();
    assertThat(scrapes.get()).isEqualTo(1);
    assertThat(warnings)
        .containsExactly(
            "the metrics at http://localhost:9464/metrics are not those of the server under load:"
                + " they list models [other 2] (expected: [m 1], from ListModels); no server"
                + " figures (set --metrics-url to its /metrics)");
  }

  @Test
  void aSameNamedModelOfAnotherVersionIsAnotherServer() {
    MetricsSource other =
        () ->
            PrometheusText.parse(
                "zeroshot_model_ready{device=\"cpu\",model=\"m\",version=\"2\"} 1\n");
    ServerScrapes around = new ServerScrapes(other, URL, "m", warnings::add);
    around.prime(SERVED);

    assertThat(around.around(Duration.ZERO, () -> RESULT).server()).isNull();
    assertThat(warnings).singleElement().asString().contains("they list models [m 2]");
  }

  @Test
  void anEndpointWithoutZeroShotMetricsIsNotTheServer() {
    MetricsSource someOtherService = () -> PrometheusText.parse("process_uptime_seconds 12\n");
    ServerScrapes around = new ServerScrapes(someOtherService, URL, null, warnings::add);
    around.prime(SERVED);

    assertThat(around.around(Duration.ZERO, () -> RESULT).server()).isNull();
    assertThat(warnings).singleElement().asString().contains("they list models []");
  }

  @Test
  void replicasOfAModelOnSeveralDevicesMatchOneListedModel() {
    MetricsSource source =
        () ->
            PrometheusText.parse(
                "zeroshot_model_ready{device=\"gpu(0),gpu(1)\",model=\"m\",version=\"1\"} 1\n"
                    + "zeroshot_model_ready{device=\"cpu\",model=\"m\",version=\"1\"} 0\n");
    ServerScrapes around = new ServerScrapes(source, URL, null, warnings::add);

    around.prime(SERVED);

    assertThat(warnings).isEmpty();
  }
}
