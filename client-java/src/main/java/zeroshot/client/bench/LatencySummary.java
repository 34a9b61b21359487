package zeroshot.client.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram recorded in microseconds, in milliseconds; as grpc-java's qps
 * benchmark prints them. All zero when nothing was recorded.
 */
public record LatencySummary(
    long count,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    double meanMs) {

  /** Summarises a histogram whose values are microseconds. */
  public static LatencySummary ofMicros(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        h.getTotalCount(),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()),
        ms(h.getMean()));
  }

  /** The figures as JSON fields, e.g. {@code p99_ms}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("count", count);
    json.put("p50_ms", p50Ms);
    json.put("p90_ms", p90Ms);
    json.put("p99_ms", p99Ms);
    json.put("p999_ms", p999Ms);
    json.put("max_ms", maxMs);
    json.put("mean_ms", meanMs);
    return json;
  }

  private static double ms(double micros) {
    return Math.round(micros) / 1e3; // microsecond resolution
  }
}
