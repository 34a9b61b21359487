package zeroshot.client.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the server says about a step: the image encoder's batches over the measured phase, as the
 * difference of two scrapes of its {@code /metrics} (see docs/metrics.md). The scrapes bracket the
 * measured phase to within a few milliseconds, so a few batches at its edges may fall either way.
 *
 * @param batches image batches run (model calls)
 * @param items images in those batches
 * @param meanBatchSize {@code items / batches}; 0 without batches
 * @param meanQueueWaitMs mean wait of each batch's oldest item before the model call, ms
 * @param meanBatchMs mean time of one model call (one batch), ms
 */
public record ServerFigures(
    long batches, long items, double meanBatchSize, double meanQueueWaitMs, double meanBatchMs) {

  static final String BATCH_SIZE = "zeroshot_batch_size_items";
  static final String QUEUE_WAIT = "zeroshot_batch_queue_wait_seconds";
  static final String INFERENCE = "zeroshot_batch_inference_seconds";

  /**
   * The image encoder's figures between two scrapes, summed over models, or for one model.
   *
   * @param model the model to count, or null for all
   */
  public static ServerFigures between(
      List<PrometheusText.Sample> before, List<PrometheusText.Sample> after, String model) {
    long batches = Math.round(delta(before, after, BATCH_SIZE + "_count", model));
    long items = Math.round(delta(before, after, BATCH_SIZE + "_sum", model));
    double waitCount = delta(before, after, QUEUE_WAIT + "_count", model);
    double waitSeconds = delta(before, after, QUEUE_WAIT + "_sum", model);
    double runCount = delta(before, after, INFERENCE + "_count", model);
    double runSeconds = delta(before, after, INFERENCE + "_sum", model);
    return new ServerFigures(
        batches,
        items,
        batches == 0 ? 0 : round((double) items / batches),
        waitCount == 0 ? 0 : round(waitSeconds / waitCount * 1e3),
        runCount == 0 ? 0 : round(runSeconds / runCount * 1e3));
  }

  private static double delta(
      List<PrometheusText.Sample> before,
      List<PrometheusText.Sample> after,
      String name,
      String model) {
    return sum(after, name, model) - sum(before, name, model);
  }

  private static double sum(List<PrometheusText.Sample> samples, String name, String model) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> "image".equals(s.labels().get("encoder")))
        .filter(s -> model == null || model.equals(s.labels().get("model")))
        .mapToDouble(PrometheusText.Sample::value)
        .sum();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** The figures as JSON fields. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("batches", batches);
    json.put("items", items);
    json.put("mean_batch_size", meanBatchSize);
    json.put("mean_queue_wait_ms", meanQueueWaitMs);
    json.put("mean_batch_ms", meanBatchMs);
    return json;
  }
}
