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

/**
 * Counts every call by RPC and status code and times it, into {@code zeroshot_grpc_requests_total}
 * and the {@code zeroshot_grpc_request_duration_seconds} histogram (snake_case labels {@code
 * method} and {@code code}, unlike micrometer-core's own interceptor).
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry registry;

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
            String code = status.getCode().name();
            Counter.builder("zeroshot.grpc.requests")
                .description("gRPC calls by RPC and status code")
                .tags("method", method, "code", code)
                .register(registry)
                .increment();
            Timer.builder("zeroshot.grpc.request.duration")
                .description("gRPC call latency from arrival to status")
                .tags("method", method, "code", code)
                .serviceLevelObjectives(ServerMetrics.LATENCY_BUCKETS)
                .register(registry)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        },
        headers);
  }
}
