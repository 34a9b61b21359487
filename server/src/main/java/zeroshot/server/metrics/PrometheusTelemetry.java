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

/** Metrics in a Prometheus registry, served on their own HTTP port. */
final class PrometheusTelemetry implements Telemetry {
  private final String host;
  private final int port;
  private final ServerMetrics metrics = new ServerMetrics();
  private final ServingMetrics serving = new ServingMetrics(metrics.registry());
  private MetricsHttpServer http; // null until served

  PrometheusTelemetry(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public StageTimer stageTimer() {
    return serving;
  }

  @Override
  public List<ServerInterceptor> interceptors() {
    return List.of(new GrpcMetricsInterceptor(metrics.registry()));
  }

  @Override
  public BatchObserver batchObserver(String model, String encoder) {
    return new BatchMetrics(metrics.registry(), model, encoder);
  }

  @Override
  public void bindQueues(ServedModel served) {
    String name = served.manifest().name();
    BatchMetrics.bindQueue(metrics.registry(), name, "image", served.images());
    BatchMetrics.bindQueue(metrics.registry(), name, "text", served.texts());
  }

  @Override
  public void serve(
      ModelRegistry models,
      List<ComputeDevice> devices,
      ToLongFunction<ComputeDevice> memoryUsed,
      LabelEmbeddingCache cache,
      LabelSetStore sets)
      throws IOException {
    serving.bindModels(models, devices, memoryUsed);
    serving.bindLabels(cache, sets);
    http = MetricsHttpServer.start(host, port, metrics);
  }

  @Override
  public int port() {
    return http == null ? -1 : http.port();
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    metrics.close();
  }
}
