package zeroshot.server.metrics;

import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.util.List;
import java.util.function.ToLongFunction;
import zeroshot.server.batching.BatchObserver;
import zeroshot.server.inference.StageTimer;
import zeroshot.server.labels.LabelEmbeddingCache;
import zeroshot.server.labels.LabelSetStore;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.ServedModel;

/**
 * What the server measures, and {@code /metrics} where it is served. The server calls it the same
 * way whether metrics are on or off: {@link #OFF} measures nothing and serves nothing.
 */
public interface Telemetry extends AutoCloseable {
  /** Metrics off (metrics port -1, e.g. to measure throughput without them). */
  Telemetry OFF = new Off();

  /** Prometheus metrics served on {@code host:port} (0: any free port), or {@link #OFF} for -1. */
  static Telemetry forPort(String host, int port) {
    return port < 0 ? OFF : new PrometheusTelemetry(host, port);
  }

  /** Times each image's decoding and preprocessing. */
  StageTimer stageTimer();

  /** Interceptors that count and time gRPC calls, by method and status code. */
  List<ServerInterceptor> interceptors();

  /** Observes the batches of one model's encoder ({@code image} or {@code text}). */
  BatchObserver batchObserver(String model, String encoder);

  /** Gauges of a ready model's batch queues. */
  void bindQueues(ServedModel served);

  /**
   * Gauges of model readiness, GPU memory, the label cache and label sets; then serves {@code
   * /metrics}.
   *
   * @param memoryUsed bytes in use on a GPU, as the runtime reads it
   * @throws IOException naming {@code --metrics-port} if the port cannot be bound
   */
  void serve(
      ModelRegistry models,
      List<ComputeDevice> devices,
      ToLongFunction<ComputeDevice> memoryUsed,
      LabelEmbeddingCache cache,
      LabelSetStore sets)
      throws IOException;

  /** The port of {@code /metrics}, or -1 when there is none. */
  int port();

  @Override
  void close();

  /** Measures nothing. */
  final class Off implements Telemetry {
    private Off() {}

    @Override
    public StageTimer stageTimer() {
      return StageTimer.NONE;
    }

    @Override
    public List<ServerInterceptor> interceptors() {
      return List.of();
    }

    @Override
    public BatchObserver batchObserver(String model, String encoder) {
      return BatchObserver.NONE;
    }

    @Override
    public void bindQueues(ServedModel served) {}

    @Override
    public void serve(
        ModelRegistry models,
        List<ComputeDevice> devices,
        ToLongFunction<ComputeDevice> memoryUsed,
        LabelEmbeddingCache cache,
        LabelSetStore sets) {}

    @Override
    public int port() {
      return -1;
    }

    @Override
    public void close() {}
  }
}
