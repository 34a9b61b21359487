package zeroshot.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.client.ZeroShotClient;
import zeroshot.client.ZeroShotClientBuilder;
import zeroshot.client.cli.ZeroShotCli;
import zeroshot.server.ZeroShotServer;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.testing.MetricsScrape;
import zeroshot.server.testing.RunningServer;
import zeroshot.server.testing.TestCertificates;
import zeroshot.server.testing.TestCertificates.Issued;

/**
 * The bearer token on a real server over loopback: API calls need it; health and reflection do not,
 * by design (probes and tools cannot send one).
 */
class BearerTokenOverGrpcTest {
  private static final String TOKEN = "s3cret-token-0123456789";

  @TempDir Path dir;

  private RunningServer running;

  @AfterEach
  void stop() throws Exception {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void aCallWithoutTokenIsUnauthenticatedAndToldWhatToSend() throws Exception {
    running = start(plaintext(tokenFile(TOKEN + "\n")));

    try (ZeroShotClient c = client().build()) {
      assertThatThrownBy(c::listModels)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription())
                    .isEqualTo(
                        "no authorization header (expected: 'authorization: Bearer <token>')");
              });
    }
  }

  @Test
  void aWrongTokenIsUnauthenticatedAndNeitherTokenIsEchoed() throws Exception {
    running = start(plaintext(tokenFile(TOKEN)));

    try (ZeroShotClient c = client().bearerToken("guess-9876543210").build()) {
      assertThatThrownBy(c::listModels)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription())
                    .startsWith("wrong bearer token (expected: ")
                    .doesNotContain("guess")
                    .doesNotContain(TOKEN);
              });
    }
    OptionalDouble refused =
        MetricsScrape.of(running.server)
            .value("zeroshot_grpc_requests_total{code=\"UNAUTHENTICATED\",method=\"ListModels\"}");
    assertThat(refused).isPresent();
    assertThat(refused.getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void theRightTokenIsServedAndTheFilesWhiteSpaceDoesNotCount() throws Exception {
    running = start(plaintext(tokenFile("  " + TOKEN + "\r\n")));

    try (ZeroShotClient c = client().bearerToken(TOKEN).build()) {
      assertThat(c.listModels().getModelsList()).isNotEmpty();
      assertThat(
              c.classifyText("a red star", List.of("red star", "blue square"), 1).getScoresList())
          .hasSize(1);
    }
  }

  @Test
  void healthIsOpenWithoutToken() throws Exception {
    running = start(plaintext(tokenFile(TOKEN)));
    HealthGrpc.HealthBlockingStub health =
        HealthGrpc.newBlockingStub(running.channel).withDeadlineAfter(10, TimeUnit.SECONDS);

    for (String service : List.of("", ZeroShotServer.SERVICE_NAME)) {
      assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()))
          .extracting(r -> r.getStatus())
          .isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void reflectionIsOpenWithoutToken() throws Exception {
    running = start(plaintext(tokenFile(TOKEN)));
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(running.channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    answer.complete(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());

    assertThat(answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
        .extracting(s -> s.getName())
        .contains(ZeroShotServer.SERVICE_NAME);
    requests.onCompleted();
  }

  @Test
  void anEmptyTokenFileStopsTheStart() throws Exception {
    Path empty = tokenFile(" \n");

    assertThatThrownBy(() -> start(plaintext(empty)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--auth-token-file: " + empty + " is empty (expected: a file holding one token)");
  }

  @Test
  void theCliSendsTheTokenFileOverMutualTls() throws Exception {
    TestCertificates authority = TestCertificates.authority(dir, "cli-test");
    Path ca = authority.certificate();
    Issued server = authority.server("server");
    Issued client = authority.client("client");
    running =
        start(
            new SecuritySettings(
                Optional.of(server.certificate()),
                Optional.of(server.privateKey()),
                Optional.of(ca),
                Optional.of(tokenFile(TOKEN)),
                -1));
    String[] connection = {
      "--target", "127.0.0.1:" + running.server.port(),
      "--ca-cert", ca.toString(),
      "--client-cert", client.certificate().toString(),
      "--client-key", client.privateKey().toString(),
      "--deadline", "10s"
    };
    Path tokenFile = Files.writeString(dir.resolve("client-token"), TOKEN + "\n");

    StringWriter out = new StringWriter();
    int withToken = cli(out, new StringWriter(), connection, "--token-file", tokenFile.toString());
    StringWriter err = new StringWriter();
    int withoutToken = cli(new StringWriter(), err, connection);

    assertThat(withToken).isZero();
    assertThat(out.toString()).contains("tiny-clip");
    assertThat(withoutToken).isEqualTo(ZeroShotCli.EXIT_FAILURE);
    assertThat(err.toString()).contains("error: UNAUTHENTICATED: no authorization header");
  }

  private static int cli(StringWriter out, StringWriter err, String[] connection, String... more) {
    String[] args = new String[1 + connection.length + more.length];
    args[0] = "models";
    System.arraycopy(connection, 0, args, 1, connection.length);
    System.arraycopy(more, 0, args, 1 + connection.length, more.length);
    return new CommandLine(new ZeroShotCli())
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }

  private Path tokenFile(String content) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "token", ".txt"), content);
  }

  private static SecuritySettings plaintext(Path tokenFile) {
    // Plaintext, as behind a mesh that encrypts: the token check is what these tests are about.
    return new SecuritySettings(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(tokenFile), -1, true);
  }

  private static RunningServer start(SecuritySettings security) throws Exception {
    return RunningServer.readyWithFake(security);
  }

  private ZeroShotClientBuilder client() {
    return ZeroShotClient.builder()
        .target("127.0.0.1:" + running.server.port())
        .defaultDeadline(Duration.ofSeconds(10));
  }
}
