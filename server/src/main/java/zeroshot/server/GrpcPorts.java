package zeroshot.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import zeroshot.server.api.AdmissionLimit;
import zeroshot.server.api.InFlightCalls;
import zeroshot.server.api.MalformedRequests;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.security.BearerTokenAuth;

/**
 * Opens the server's gRPC ports: the API port (plaintext or TLS, with health and reflection, the
 * API behind its interceptor chain) and the optional plaintext port that serves health alone, for
 * probes that cannot speak TLS. A port that cannot be bound is reported with the option that chose
 * it.
 */
final class GrpcPorts {
  private GrpcPorts() {}

  /** Starts the API port: {@code api} (already intercepted), health and reflection. */
  static Server api(
      ServerConfig config,
      ServerCredentials credentials,
      ServerServiceDefinition api,
      HealthStatusManager health)
      throws IOException {
    Server server =
        builder(config, credentials, config.port())
            .addService(api)
            // Garbage bytes get INVALID_ARGUMENT here too, not grpc-java's UNKNOWN.
            .addService(MalformedRequests.refuse(health.getHealthService().bindService()))
            .addService(
                MalformedRequests.refuse(ProtoReflectionServiceV1.newInstance().bindService()))
            .maxInboundMessageSize(config.limits().maxMessageBytes())
            // A client keeps one HTTP/2 connection for as long as it can: without an age limit,
            // replicas added by a scale-out get no traffic from clients already connected. The
            // GOAWAY makes clients resolve the service again and spread over every replica.
            .maxConnectionAge(config.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS)
            .maxConnectionAgeGrace(config.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS)
            // Handlers only validate and queue (decoding and the model run on our own pools),
            // so they run on the transport threads: one thread hop less per call.
            .directExecutor()
            .build();
    return start(server, "--port", config.host(), config.port());
  }

  /**
   * The API with its interceptors, innermost first: admission refuses model work beyond what the
   * pool takes ({@code maxCallsInFlight}), after the token is checked (a caller without one takes
   * no place); the token is checked after the call is counted and measured, so refused calls show
   * up as UNAUTHENTICATED or RESOURCE_EXHAUSTED in the metrics. Health and reflection are not
   * intercepted: probes (Kubernetes' among them) cannot send a token.
   *
   * @param auth the bearer-token check, or null when no token is required
   * @param measuring the interceptors that count and time calls (none when metrics are off)
   * @param calls counts open calls, so that shutdown can wait for them
   */
  static ServerServiceDefinition intercepted(
      ServerServiceDefinition api,
      int maxCallsInFlight,
      BearerTokenAuth auth,
      List<ServerInterceptor> measuring,
      InFlightCalls calls) {
    List<ServerInterceptor> interceptors = new ArrayList<>();
    interceptors.add(new AdmissionLimit(maxCallsInFlight));
    if (auth != null) {
      interceptors.add(auth);
    }
    interceptors.addAll(measuring);
    interceptors.add(calls);
    return ServerInterceptors.intercept(api, interceptors);
  }

  /** Starts the plaintext port that serves only {@code grpc.health.v1}. */
  static Server healthOnly(ServerConfig config, HealthStatusManager health) throws IOException {
    int port = config.security().healthPort();
    Server server =
        builder(config, InsecureServerCredentials.create(), port)
            .addService(MalformedRequests.refuse(health.getHealthService().bindService()))
            .directExecutor()
            .build();
    return start(server, "--health-port", config.host(), port);
  }

  private static NettyServerBuilder builder(
      ServerConfig config, ServerCredentials credentials, int port) {
    try {
      return NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), port), credentials);
    } catch (IllegalArgumentException e) {
      // Netty parses the certificate and the key only here.
      throw new IllegalArgumentException(
          "--tls-cert, --tls-key: "
              + config.security().tlsCert().orElse(null)
              + ", "
              + config.security().tlsKey().orElse(null)
              + " (expected: a PEM certificate chain and its PKCS#8 private key): "
              + e.getMessage(),
          e);
    }
  }

  private static Server start(Server server, String option, String host, int port)
      throws IOException {
    try {
      return server.start();
    } catch (IOException e) {
      // Netty's epoll transport reports a taken port as its own IOException, not BindException.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException(
          option
              + ": "
              + host
              + ":"
              + port
              + " cannot be bound: "
              + cause.getMessage()
              + " (expected: a free port this user may bind)",
          e);
    }
  }
}
