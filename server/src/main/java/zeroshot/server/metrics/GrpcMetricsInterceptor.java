package zeroshot.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts every call by RPC and status code and times it, into {@code zeroshot_grpc_requests_total}
 * and the {@code zeroshot_grpc_request_duration_seconds} histogram (snake_case labels {@code
 * method} and {@code code}, unlike micrometer-core's own interceptor).
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry registry;

  /** Meters by RPC and code, looked up once: registering on every call costs a map and tags. */
  private final Map<String, Meters> meters = new ConcurrentHashMap<>();

  private record Meters(Counter calls, Timer latency) {}

  public GrpcMetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    long start = System.nanoTime();
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            Meters m = meters(method, status.getCode().name());
            m.calls().increment();
            m.latency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        },
        headers);
  }

  private Meters meters(String method, String code) {
    return meters.computeIfAbsent(
        method + ' ' + code,
        key ->
            new Meters(
                Counter.builder("zeroshot.grpc.requests")
                    .description("gRPC calls by RPC and status code")
                    .tags("method", method, "code", code)
                    .register(registry),
                Timer.builder("zeroshot.grpc.request.duration")
                    .description("gRPC call latency from arrival to status")
                    .tags("method", method, "code", code)
                    .serviceLevelObjectives(ServerMetrics.LATENCY_BUCKETS)
                    .register(registry)));
  }
}
