package zeroshot.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import zeroshot.server.inference.StageTimer;
import zeroshot.server.labels.LabelEmbeddingCache;
import zeroshot.server.labels.LabelSetStore;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ModelRegistry;

/**
 * Gauges and counters read from the serving state: model readiness, the label cache, label sets;
 * and the preprocessing timer the engine reports to.
 */
public final class ServingMetrics implements StageTimer {
  private final MeterRegistry registry;
  private final Map<String, Timer> preprocess = new ConcurrentHashMap<>();

  public ServingMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * {@code zeroshot_model_ready{model, version, device}}: 1 once warm, else 0 ({@code device} lists
   * every replica's device, e.g. {@code gpu(0),gpu(1)}); per model and GPU also {@code
   * zeroshot_device_memory_used_bytes{model, device}} (CUDA's count for the whole device).
   *
   * @param memoryUsed bytes in use on a GPU, as the runtime reads it
   */
  public void bindModels(
      ModelRegistry models, List<ComputeDevice> devices, ToLongFunction<ComputeDevice> memoryUsed) {
    String where = devices.stream().map(ComputeDevice::toString).collect(Collectors.joining(","));
    for (ModelManifest m : models.manifests()) {
      Gauge.builder("zeroshot.model.ready", models, r -> r.isReady(m.name()) ? 1 : 0)
          .description("1 when the model is loaded and warm, else 0")
          .tags("model", m.name(), "version", m.version(), "device", where)
          .register(registry);
      for (ComputeDevice device : devices) {
        if (device.isGpu()) {
          Gauge.builder("zeroshot.device.memory.used", device, memoryUsed::applyAsLong)
              .description("GPU memory in use on the model's device")
              .baseUnit("bytes")
              .tags("model", m.name(), "device", device.toString())
              .register(registry);
        }
      }
    }
  }

  public void bindLabels(LabelEmbeddingCache cache, LabelSetStore sets) {
    FunctionCounter.builder("zeroshot.label.cache.requests", cache, c -> c.stats().hitCount())
        .description("Label prompts looked up in the label-embedding cache, by result")
        .tags("result", "hit")
        .register(registry);
    FunctionCounter.builder("zeroshot.label.cache.requests", cache, c -> c.stats().missCount())
        .description("Label prompts looked up in the label-embedding cache, by result")
        .tags("result", "miss")
        .register(registry);
    FunctionCounter.builder("zeroshot.label.cache.evictions", cache, c -> c.stats().evictionCount())
        .description("Label-embedding cache entries evicted to stay within the bound")
        .register(registry);
    Gauge.builder("zeroshot.label.cache.entries", cache, LabelEmbeddingCache::size)
        .description("Label prompts held in the label-embedding cache")
        .register(registry);
    Gauge.builder("zeroshot.label.cache.size", cache, LabelEmbeddingCache::weightBytes)
        .description("Estimated memory held by the label-embedding cache")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("zeroshot.label.sets", sets, LabelSetStore::size)
        .description("Named label sets held, all models")
        .register(registry);
  }

  @Override
  public void preprocessed(String model, long nanos) {
    preprocess
        .computeIfAbsent(
            model,
            m ->
                Timer.builder("zeroshot.preprocess.duration")
                    .description("Decoding and preprocessing of one image")
                    .tags("model", m)
                    .serviceLevelObjectives(ServerMetrics.LATENCY_BUCKETS)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
