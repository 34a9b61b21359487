package zeroshot.client.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one measured step.
 *
 * @param label what was varied, e.g. {@code concurrency 8} or {@code rate 200/s}
 * @param sent requests sent in the measured phase
 * @param ok those answered successfully
 * @param errors those failed, by gRPC status code name
 * @param unanswered those with no answer when the step gave up waiting
 * @param seconds from the start of the measured phase to its last answer
 * @param latency of the successful requests, from their intended send time
 * @param rejected of the requests refused with RESOURCE_EXHAUSTED, likewise
 * @param lag how far the sender fell behind its schedule; null for a closed loop
 * @param server the server's batching figures over the step; null when not read
 */
public record StepResult(
    String label,
    long sent,
    long ok,
    Map<String, Long> errors,
    long unanswered,
    double seconds,
    LatencySummary latency,
    LatencySummary rejected,
    SendLag lag,
    ServerFigures server) {

  /** Successful requests per second. */
  public double throughput() {
    return ok / seconds;
  }

  /** All failed requests. */
  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** This result with the server's figures. */
  public StepResult withServer(ServerFigures figures) {
    return new StepResult(
        label, sent, ok, errors, unanswered, seconds, latency, rejected, lag, figures);
  }

  /** The result as JSON fields; {@code step} holds what the loop varied. */
  public Map<String, Object> toJson(Map<String, Object> step) {
    Map<String, Object> json = new LinkedHashMap<>(step);
    json.put("label", label);
    json.put("seconds", Math.round(seconds * 1000) / 1000.0);
    json.put("sent", sent);
    json.put("ok", ok);
    json.put("errors", errors);
    json.put("unanswered", unanswered);
    json.put("throughput_per_s", Math.round(throughput() * 100) / 100.0);
    json.put("latency_ms", latency.toJson());
    json.put("rejected_latency_ms", rejected.toJson());
    if (lag != null) {
      json.put("late_sends", lag.lateSends());
      json.put("max_send_lag_ms", lag.maxLagMs());
    }
    json.put("server", server == null ? null : server.toJson());
    return json;
  }
}
