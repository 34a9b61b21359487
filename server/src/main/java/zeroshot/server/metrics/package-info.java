/**
 * What the server measures, served as Prometheus text on {@code /metrics}. The rest of the server
 * sees only the {@link zeroshot.server.metrics.Telemetry} port ({@link
 * zeroshot.server.metrics.Telemetry#OFF} when metrics are off), which hands out the observers that
 * watch from the side and never steer: gRPC calls ({@code GrpcMetricsInterceptor}), batches ({@code
 * BatchMetrics}, a {@link zeroshot.server.batching.BatchObserver}), preprocessing time (a {@link
 * zeroshot.server.inference.StageTimer}), and gauges of readiness, GPU memory, queues, the label
 * cache and label sets ({@code ServingMetrics}). The names are documented in docs/metrics.md.
 */
package zeroshot.server.metrics;
