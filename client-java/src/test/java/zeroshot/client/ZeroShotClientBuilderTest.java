package zeroshot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end over real Netty on loopback: the builder's channel reaches a server. */
class ZeroShotClientBuilderTest {

  private Server server;
  private String target;

  @BeforeEach
  void start() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(loopback, 0), InsecureServerCredentials.create())
            .addService(new FakeZeroShotService())
            .build()
            .start();
    target = loopback.getHostAddress() + ":" + server.getPort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void builtClientCallsTheServerInPlaintext() {
    try (ZeroShotClient client = ZeroShotClient.builder().target(target).plaintext().build()) {
      assertThat(client.listModels()).isEqualTo(FakeZeroShotService.modelsResponse());
      assertThat(client.defaultDeadline()).isEqualTo(Duration.ofSeconds(30));
    }
  }

  @Test
  void builtClientWithRoundRobinCallsTheServer() {
    try (ZeroShotClient client =
        ZeroShotClient.builder()
            .target("dns:///" + target)
            .loadBalancingPolicy("round_robin")
            .defaultDeadline(Duration.ofSeconds(10))
            .build()) {
      assertThat(client.listModels().getDefaultModel()).isEqualTo(FakeZeroShotService.MODEL);
    }
  }

  @Test
  void responseLargerThanMaxInboundMessageBytesFailsWithResourceExhausted() {
    try (ZeroShotClient client =
        ZeroShotClient.builder().target(target).maxInboundMessageBytes(16).build()) {
      assertThatThrownBy(client::listModels)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }
  }

  @Test
  void directExecutorCompletesCallsOnTheTransportThreadInsteadOfThePool() throws Exception {
    try (ZeroShotClient pooled = ZeroShotClient.builder().target(target).build();
        ZeroShotClient direct = ZeroShotClient.builder().target(target).directExecutor().build()) {
      assertThat(completingThread(pooled)).startsWith("grpc-default-executor");
      assertThat(completingThread(direct)).doesNotStartWith("grpc-default-executor");
    }
  }

  /**
   * Returns the name of the thread that completed an asynchronous call. A call answered before its
   * callback was attached runs the callback on this thread instead; such attempts are retried.
   */
  private static String completingThread(ZeroShotClient client) throws Exception {
    String caller = Thread.currentThread().getName();
    for (int attempt = 0; attempt < 20; attempt++) {
      String name =
          client
              .listModelsAsync()
              .thenApply(response -> Thread.currentThread().getName())
              .get(10, TimeUnit.SECONDS);
      if (!name.equals(caller)) {
        return name;
      }
    }
    throw new AssertionError("every call completed before its callback was attached");
  }

  @Test
  void callAfterCloseFailsBecauseTheOwnedChannelIsShutDown() {
    ZeroShotClient client = ZeroShotClient.builder().target(target).build();
    client.close();

    assertThatThrownBy(client::listModels)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void tlsWithUnreadableCertificatesFailsToBuild(@TempDir Path dir) {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> ZeroShotClient.builder().target(target).tls(missing).build())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot read trusted certificates: ")
        .hasMessageContaining("missing.pem");
  }

  @Test
  void bearerTokenIsSentAsAnAuthorizationHeaderWithEveryCall() throws Exception {
    Metadata.Key<String> authorization =
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    List<String> received = new CopyOnWriteArrayList<>();
    ServerInterceptor recorder =
        new ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            received.add(String.valueOf(headers.get(authorization)));
            return next.startCall(call, headers);
          }
        };
    InetAddress loopback = InetAddress.getLoopbackAddress();
    Server recording =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(loopback, 0), InsecureServerCredentials.create())
            .addService(ServerInterceptors.intercept(new FakeZeroShotService(), recorder))
            .build()
            .start();
    try (ZeroShotClient client =
            ZeroShotClient.builder()
                .target(loopback.getHostAddress() + ":" + recording.getPort())
                .bearerToken(" t0ken \n")
                .build();
        ZeroShotClient anonymous =
            ZeroShotClient.builder()
                .target(loopback.getHostAddress() + ":" + recording.getPort())
                .build()) {
      client.listModels();
      client.listModels();
      anonymous.listModels();
    } finally {
      recording.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    assertThat(received).containsExactly("Bearer t0ken", "Bearer t0ken", "null");
  }

  @Test
  void everyCallCarriesTheClientVersionInItsUserAgent() throws Exception {
    Metadata.Key<String> userAgent =
        Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
    List<String> received = new CopyOnWriteArrayList<>();
    ServerInterceptor recorder =
        new ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            received.add(String.valueOf(headers.get(userAgent)));
            return next.startCall(call, headers);
          }
        };
    InetAddress loopback = InetAddress.getLoopbackAddress();
    Server recording =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(loopback, 0), InsecureServerCredentials.create())
            .addService(ServerInterceptors.intercept(new FakeZeroShotService(), recorder))
            .build()
            .start();
    try (ZeroShotClient client =
        ZeroShotClient.builder()
            .target(loopback.getHostAddress() + ":" + recording.getPort())
            .build()) {
      client.listModels();
    } finally {
      recording.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    // grpc-java adds its own name and version after ours.
    assertThat(received)
        .singleElement()
        .asString()
        .startsWith("zeroshot-java/" + System.getProperty("project.version") + " grpc-java-");
  }

  @Test
  void aClientCertificateWithoutTlsOrABlankTokenIsRefused(@TempDir Path dir) {
    Path cert = dir.resolve("client.pem");
    Path key = dir.resolve("client.key");

    assertThatThrownBy(
            () -> ZeroShotClient.builder().target(target).clientCertificate(cert, key).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("clientCertificate: " + cert + " (expected: only with tls)");
    assertThatThrownBy(() -> ZeroShotClient.builder().bearerToken(" "))
        .hasMessage("token: blank (expected: the server's token)");
    assertThatThrownBy(
            () ->
                ZeroShotClient.builder().target(target).tls().clientCertificate(cert, key).build())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot read client certificate: ");
  }

  @Test
  void invalidSettingsAreRejectedWithTheExpectedValue() {
    ZeroShotClientBuilder builder = ZeroShotClient.builder();

    assertThatThrownBy(() -> builder.maxInboundMessageBytes(0))
        .hasMessage("maxInboundMessageBytes: 0 (expected: > 0)");
    assertThatThrownBy(() -> builder.defaultDeadline(Duration.ofMillis(-5)))
        .hasMessage("defaultDeadline: PT-0.005S (expected: > 0)");
    assertThatThrownBy(() -> builder.target(" "))
        .hasMessage("target: blank (expected: e.g. localhost:50051)");
    assertThatThrownBy(() -> builder.target(null)).hasMessage("target");
  }
}
