package zeroshot.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.client.ZeroShotClient;
import zeroshot.client.ZeroShotClientBuilder;
import zeroshot.server.ZeroShotServer;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.testing.RunningServer;
import zeroshot.server.testing.TestCertificates;
import zeroshot.server.testing.TestCertificates.Issued;

/** TLS and mutual TLS on a real server over loopback, with certificates made for the test. */
class TlsOverGrpcTest {
  @TempDir static Path dir;

  private static Path ca;
  private static Issued serverCert;
  private static Issued client;
  private static Issued strangerClient;

  private RunningServer running;

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates authority = TestCertificates.authority(dir, "zeroshot-test");
    ca = authority.certificate();
    serverCert = authority.server("server");
    client = authority.client("client");
    strangerClient = TestCertificates.authority(dir, "stranger").client("stranger-client");
  }

  @AfterEach
  void stop() throws Exception {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void aTlsClientTrustingTheAuthorityIsServed() throws Exception {
    running = start(tls(Optional.empty(), -1));

    try (ZeroShotClient c = client().tls(ca).build()) {
      assertThat(c.listModels().getModelsList()).isNotEmpty();
    }
  }

  @Test
  void aPlaintextClientIsRefusedByATlsServer() throws Exception {
    running = start(tls(Optional.empty(), -1));

    try (ZeroShotClient c = client().plaintext().build()) {
      assertThat(code(c)).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void aClientThatDoesNotTrustTheServersAuthorityFails() throws Exception {
    running = start(tls(Optional.empty(), -1));

    try (ZeroShotClient c = client().tls(strangerClient.certificate()).build()) {
      assertThat(code(c)).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void mutualTlsServesAClientWithACertificateFromTheClientAuthority() throws Exception {
    running = start(tls(Optional.of(ca), -1));

    try (ZeroShotClient c =
        client().tls(ca).clientCertificate(client.certificate(), client.privateKey()).build()) {
      assertThat(c.listModels().getModelsList()).isNotEmpty();
    }
  }

  @Test
  void mutualTlsRefusesAClientCertificateFromAnotherAuthority() throws Exception {
    running = start(tls(Optional.of(ca), -1));

    try (ZeroShotClient c =
        client()
            .tls(ca)
            .clientCertificate(strangerClient.certificate(), strangerClient.privateKey())
            .build()) {
      assertThat(code(c)).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutCertificate() throws Exception {
    running = start(tls(Optional.of(ca), -1));

    try (ZeroShotClient c = client().tls(ca).build()) {
      assertThat(code(c)).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void theHealthPortAnswersProbesInPlaintextWhileTheGrpcPortSpeaksOnlyTls() throws Exception {
    running = start(tls(Optional.of(ca), 0));
    ManagedChannel probe =
        NettyChannelBuilder.forAddress("127.0.0.1", running.server.healthPort())
            .usePlaintext()
            .build();
    try {
      HealthGrpc.HealthBlockingStub health =
          HealthGrpc.newBlockingStub(probe).withDeadlineAfter(10, TimeUnit.SECONDS);
      for (String service : List.of("", ZeroShotServer.SERVICE_NAME)) {
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()))
            .extracting(r -> r.getStatus())
            .isEqualTo(ServingStatus.SERVING);
      }
    } finally {
      probe.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(running.server.healthPort()).isNotEqualTo(running.server.port());
  }

  @Test
  void keysOtherThanUnencryptedPkcs8AreRefusedWithTheCommandThatConvertsThem() throws Exception {
    Path pkcs1 =
        Files.writeString(
            dir.resolve("rsa.key"),
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    SecuritySettings settings =
        new SecuritySettings(
            Optional.of(serverCert.certificate()),
            Optional.of(pkcs1),
            Optional.empty(),
            Optional.empty(),
            -1);

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--tls-key: "
                + pkcs1
                + " is not an unencrypted PKCS#8 key (expected: BEGIN PRIVATE KEY; convert with"
                + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8')");
  }

  @Test
  void aKeyThatDoesNotBelongToTheCertificateStopsTheStart() throws Exception {
    // Both well-formed, issued by the same authority, but not a pair.
    SecuritySettings mismatched =
        new SecuritySettings(
            Optional.of(serverCert.certificate()),
            Optional.of(client.privateKey()),
            Optional.empty(),
            Optional.empty(),
            -1);

    assertThatThrownBy(() -> start(mismatched))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--tls-key: "
                + client.privateKey()
                + " is not the private key of the certificate in --tls-cert "
                + serverCert.certificate());
  }

  @Test
  void aCertificateFileThatIsNotPemOrIsMissingStopsTheStart() throws Exception {
    Path notPem = Files.writeString(dir.resolve("cert.txt"), "hello");
    SecuritySettings wrong =
        new SecuritySettings(
            Optional.of(notPem),
            Optional.of(serverCert.privateKey()),
            Optional.empty(),
            Optional.empty(),
            -1);
    SecuritySettings missing =
        new SecuritySettings(
            Optional.of(serverCert.certificate()),
            Optional.of(serverCert.privateKey()),
            Optional.of(dir.resolve("missing-ca.pem")),
            Optional.empty(),
            -1);

    assertThatThrownBy(() -> start(wrong))
        .hasMessage("--tls-cert: " + notPem + " (expected: a PEM file with BEGIN CERTIFICATE)");
    assertThatThrownBy(() -> start(missing))
        .hasMessageStartingWith(
            "--tls-client-ca: " + dir.resolve("missing-ca.pem") + " cannot be read: ");
  }

  private static SecuritySettings tls(Optional<Path> clientCa, int healthPort) {
    return new SecuritySettings(
        Optional.of(serverCert.certificate()),
        Optional.of(serverCert.privateKey()),
        clientCa,
        Optional.empty(),
        healthPort);
  }

  private static RunningServer start(SecuritySettings security) throws Exception {
    return RunningServer.readyWithFake(security);
  }

  private ZeroShotClientBuilder client() {
    return ZeroShotClient.builder()
        .target("127.0.0.1:" + running.server.port())
        .defaultDeadline(Duration.ofSeconds(10));
  }

  private static Status.Code code(ZeroShotClient c) {
    try {
      c.listModels();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
