package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  @Test
  void percentilesOfOneToOneThousandMicrosecondsAreExact() {
    Histogram h = new Histogram(3);
    for (int micros = 1000; micros >= 1; micros--) {
      h.recordValue(micros);
    }

    LatencySummary summary = LatencySummary.ofMicros(h);

    assertThat(summary.count()).isEqualTo(1000);
    assertThat(summary.p50Ms()).isEqualTo(0.5);
    assertThat(summary.p90Ms()).isEqualTo(0.9);
    assertThat(summary.p99Ms()).isEqualTo(0.99);
    assertThat(summary.p999Ms()).isEqualTo(0.999);
    assertThat(summary.maxMs()).isEqualTo(1.0);
    assertThat(summary.meanMs()).isEqualTo(0.501); // 500.5 µs, to the microsecond
  }

  @Test
  void aFewSlowSamplesShowOnlyInTheHighPercentiles() {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(2_000, 990); // 2 ms
    h.recordValueWithCount(100_000, 10); // 100 ms: 1 %

    LatencySummary summary = LatencySummary.ofMicros(h);

    assertThat(summary.p50Ms()).isEqualTo(2.0);
    assertThat(summary.p90Ms()).isEqualTo(2.0);
    assertThat(summary.p99Ms()).isEqualTo(2.0);
    // Three significant digits: 100 ms is recorded within 0.1 %.
    assertThat(summary.p999Ms()).isBetween(99.9, 100.1);
    assertThat(summary.maxMs()).isBetween(99.9, 100.1);
  }

  @Test
  void anEmptyHistogramGivesZeros() {
    assertThat(LatencySummary.ofMicros(new Histogram(3)))
        .isEqualTo(new LatencySummary(0, 0, 0, 0, 0, 0, 0));
  }
}
