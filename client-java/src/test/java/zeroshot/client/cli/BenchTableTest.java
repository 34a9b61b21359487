package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import zeroshot.client.bench.LatencySummary;
import zeroshot.client.bench.SendLag;
import zeroshot.client.bench.ServerFigures;
import zeroshot.client.bench.StepResult;

class BenchTableTest {

  private static final LatencySummary LATENCY = new LatencySummary(10, 1, 2, 3, 4, 5, 1.5);
  private static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

  @Test
  void aRowPerStepWithErrorsByCodeAndTheServersFigures() {
    BenchTable table = new BenchTable();
    table.add(
        new StepResult(
                "concurrency 8", 12, 10, Map.of("UNAVAILABLE", 2L), 0, 2, LATENCY, NONE, null, null)
            .withServer(new ServerFigures(4, 10, 2.5, 1.25, 3.5)),
        0.375);

    assertThat(table.render())
        .contains("concurrency 8")
        .contains("5.0") // ok/s
        .contains("UNAVAILABLE=2")
        .contains("2.50") // mean batch
        .contains("1.25") // queue wait
        .contains("3.50") // batch ms
        .contains("38%"); // the generator's share of the machine
    assertThat(table.allSucceeded()).isFalse();
    assertThat(table.measuredNothing()).isFalse();
  }

  @Test
  void saysHowFastRejectionsWereAnswered() {
    BenchTable table = new BenchTable();
    table.add(
        new StepResult(
            "concurrency 1000",
            900,
            600,
            Map.of("RESOURCE_EXHAUSTED", 300L),
            0,
            1,
            LATENCY,
            new LatencySummary(300, 0.5, 0.75, 12.5, 20, 30, 2),
            null,
            null),
        null);

    assertThat(table.warnings())
        .containsExactly(
            "concurrency 1000: 300 requests rejected (RESOURCE_EXHAUSTED), answered in p50 0.50"
                + " ms, p99 12.50 ms, max 30.00 ms");
  }

  @Test
  void warnsWhenTheGeneratorFellBehindOrNothingWasMeasured() {
    BenchTable table = new BenchTable();
    table.add(
        new StepResult(
            "rate 100/s", 200, 200, Map.of(), 0, 2, LATENCY, NONE, new SendLag(7, 3.5), null),
        null);
    table.add(
        new StepResult("concurrency 1", 0, 0, Map.of(), 0, 1, LATENCY, NONE, null, null), null);

    assertThat(table.warnings())
        .containsExactly(
            "rate 100/s: the generator fell behind its schedule: 7 of 200 sends more than 1 ms"
                + " late (max 3.5 ms); latencies still count from the intended send times",
            "concurrency 1: no request was sent in the measured phase: the warm-up's requests"
                + " took longer than the warm-up and the step (a cold server?); lengthen --warmup"
                + " or --duration");
    assertThat(table.render()).contains("-"); // no server figures
    assertThat(table.allSucceeded()).isTrue();
    assertThat(table.measuredNothing()).isTrue();
  }
}
