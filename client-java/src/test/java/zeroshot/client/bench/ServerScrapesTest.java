package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerScrapesTest {

  private static final LatencySummary LATENCY = new LatencySummary(1, 1, 1, 1, 1, 1, 1);
  private static final StepResult RESULT =
      new StepResult("concurrency 1", 1, 1, Map.of(), 0, 1, LATENCY, LATENCY, null, null);

  private final List<String> warnings = new ArrayList<>();

  private static List<PrometheusText.Sample> batches(long count, long items) {
    return PrometheusText.parse(
        "zeroshot_batch_size_items_count{encoder=\"image\",model=\"m\"} "
            + count
            + "\nzeroshot_batch_size_items_sum{encoder=\"image\",model=\"m\"} "
            + items
            + "\n");
  }

  @Test
  void addsTheDifferenceOfTheScrapesAroundTheMeasuredPhase() {
    AtomicInteger scrapes = new AtomicInteger();
    MetricsSource source = () -> batches(10L * scrapes.incrementAndGet(), 40L * scrapes.get());
    ServerScrapes around = new ServerScrapes(source, "m", warnings::add);
    around.prime(); // scrape 1

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
          throw new IOException("http://localhost:9464/metrics: connection refused");
        };
    ServerScrapes around = new ServerScrapes(source, null, warnings::add);
    around.prime();

    StepResult first = around.around(Duration.ZERO, () -> RESULT);
    StepResult second = around.around(Duration.ZERO, () -> RESULT);

    assertThat(first.server()).isNull();
    assertThat(second.server()).isNull();
    assertThat(scrapes.get()).isEqualTo(1);
    assertThat(warnings)
        .containsExactly(
            "cannot read the server's metrics (http://localhost:9464/metrics: connection refused);"
                + " no server figures");
  }
}
