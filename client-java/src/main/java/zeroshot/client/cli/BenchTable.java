package zeroshot.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import zeroshot.client.bench.LatencySummary;
import zeroshot.client.bench.ServerFigures;
import zeroshot.client.bench.StepResult;

/** The human report of {@code zeroshot bench}: one row per step, then warnings. */
final class BenchTable {

  /** The server's default metrics port (ServerConfig.DEFAULT_METRICS_PORT). */
  static final int DEFAULT_METRICS_PORT = 9464;

  private final Table table =
      new Table(
          "step",
          ">ok/s",
          ">ok",
          ">errors",
          ">p50 ms",
          ">p90 ms",
          ">p99 ms",
          ">p99.9 ms",
          ">max ms",
          ">batches",
          ">mean batch",
          ">queue wait ms",
          ">batch ms",
          ">client cpu");
  private final List<String> warnings = new ArrayList<>();
  private boolean allSucceeded = true;
  private boolean measuredNothing;

  /** Adds a step; {@code clientCpuShare} is the generator's share of the machine, or null. */
  void add(StepResult r, Double clientCpuShare) {
    LatencySummary l = r.latency();
    ServerFigures s = r.server();
    table.row(
        r.label(),
        format("%.1f", r.throughput()),
        r.ok(),
        r.errors().isEmpty()
            ? "0"
            : r.errors().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")),
        format("%.2f", l.p50Ms()),
        format("%.2f", l.p90Ms()),
        format("%.2f", l.p99Ms()),
        format("%.2f", l.p999Ms()),
        format("%.2f", l.maxMs()),
        s == null ? "-" : s.batches(),
        s == null ? "-" : format("%.2f", s.meanBatchSize()),
        s == null ? "-" : format("%.2f", s.meanQueueWaitMs()),
        s == null ? "-" : format("%.2f", s.meanBatchMs()),
        clientCpuShare == null ? "-" : format("%.0f%%", clientCpuShare * 100));
    if (r.errorCount() > 0 || r.unanswered() > 0) {
      allSucceeded = false;
    }
    if (r.sent() == 0) {
      measuredNothing = true;
      warnings.add(
          r.label()
              + ": no request was sent in the measured phase: the warm-up's requests took longer"
              + " than the warm-up and the step (a cold server?); lengthen --warmup or --duration");
    }
    if (r.unanswered() > 0) {
      warnings.add(r.label() + ": " + r.unanswered() + " requests still unanswered at the end");
    }
    if (r.rejected().count() > 0) {
      warnings.add(
          format(
              "%s: %d requests rejected (RESOURCE_EXHAUSTED), answered in p50 %.2f ms, p99 %.2f"
                  + " ms, max %.2f ms",
              r.label(),
              r.rejected().count(),
              r.rejected().p50Ms(),
              r.rejected().p99Ms(),
              r.rejected().maxMs()));
    }
    if (r.lag() != null && r.lag().lateSends() > 0) {
      warnings.add(
          format(
              "%s: the generator fell behind its schedule: %d of %d sends more than 1 ms late"
                  + " (max %.1f ms); latencies still count from the intended send times",
              r.label(), r.lag().lateSends(), r.sent(), r.lag().maxLagMs()));
    }
  }

  String render() {
    return table.render();
  }

  List<String> warnings() {
    return warnings;
  }

  /** Whether a step sent no request in its measured phase, so that it measured nothing. */
  boolean measuredNothing() {
    return measuredNothing;
  }

  /** Whether every measured request of every step succeeded. */
  boolean allSucceeded() {
    return allSucceeded;
  }

  /**
   * The server's metrics URL on the target's host: {@code localhost:50051} and {@code
   * dns:///localhost:50051} give {@code http://localhost:9464/metrics}.
   */
  static String defaultMetricsUrl(String target) {
    return defaultMetricsUrl(target, 0);
  }

  /**
   * As above, on {@code metricsPort} (the port the server reports in ListModels) unless it is 0
   * (metrics off, or a server that does not say), then on the default port.
   */
  static String defaultMetricsUrl(String target, int metricsPort) {
    return "http://"
        + host(target)
        + ":"
        + (metricsPort > 0 ? metricsPort : DEFAULT_METRICS_PORT)
        + "/metrics";
  }

  /** The host of a gRPC target ("localhost" when it names none), for URLs of its other ports. */
  static String host(String target) {
    String t = target;
    int scheme = t.indexOf("://");
    if (scheme >= 0) {
      t = t.substring(scheme + 3);
      t = t.startsWith("/") ? t.substring(1) : t;
    }
    String host;
    if (t.startsWith("[") && t.indexOf(']') > 0) {
      host = t.substring(0, t.indexOf(']') + 1);
    } else {
      int colon = t.lastIndexOf(':');
      host = colon < 0 ? t : t.substring(0, colon);
    }
    return host.isEmpty() ? "localhost" : host;
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
