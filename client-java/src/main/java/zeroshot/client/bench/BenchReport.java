package zeroshot.client.bench;

import com.google.gson.GsonBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zeroshot.client.ClientVersion;

/**
 * The JSON report of a run: when and where it ran, its settings, and one object per step with what
 * the step varied (a concurrency or a target rate) and its figures.
 */
public final class BenchReport {

  private final Map<String, Object> settings;
  private final List<Map<String, Object>> steps = new ArrayList<>();

  /** Creates a report of a run with these settings (JSON fields, in order). */
  public BenchReport(Map<String, Object> settings, Instant date) {
    this.settings = new LinkedHashMap<>();
    this.settings.put("tool", "zeroshot bench");
    this.settings.put("tool_version", ClientVersion.get());
    this.settings.put("date", date.toString());
    this.settings.put("machine", machine());
    this.settings.putAll(settings);
  }

  /**
   * Adds a closed-loop step.
   *
   * @param clientCpuShare the generator's share of the machine's CPU over the step, or null
   */
  public void addClosed(int concurrency, StepResult result, Double clientCpuShare) {
    steps.add(withCpu(result.toJson(Map.of("concurrency", concurrency)), clientCpuShare));
  }

  /** Adds an open-loop step; {@code clientCpuShare} as for {@link #addClosed}. */
  public void addOpen(double targetRatePerSecond, StepResult result, Double clientCpuShare) {
    steps.add(
        withCpu(result.toJson(Map.of("target_rate_per_s", targetRatePerSecond)), clientCpuShare));
  }

  private static Map<String, Object> withCpu(Map<String, Object> step, Double clientCpuShare) {
    step.put("client_cpu_share", clientCpuShare);
    return step;
  }

  /** Returns the report as pretty-printed JSON (nulls kept, so every step has the same fields). */
  public String toJson() {
    Map<String, Object> json = new LinkedHashMap<>(settings);
    json.put("steps", steps);
    return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json);
  }

  private static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.put("java", Runtime.version().toString());
    return machine;
  }
}
