package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.net.ConnectException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The hints under a connection failure, for the statuses grpc-java gives (messages as it gives them
 * against a closed port and a TLS server with its own authority).
 */
class ConnectionHintTest {
  private static final ConnectionSettings PLAIN =
      new ConnectionSettings("127.0.0.1:50999", false, null, Duration.ofSeconds(5));
  private static final ConnectionSettings TLS =
      new ConnectionSettings("localhost:50998", true, null, Duration.ofSeconds(5));

  @Test
  void aRefusedConnectionSaysNothingListensThere() {
    Status refused =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(
                new ConnectException(
                    "finishConnect(..) failed with error(-111): Connection refused:"
                        + " /127.0.0.1:50999"));

    assertThat(ConnectionHint.of(refused, PLAIN))
        .isEqualTo(
            "nothing listens at 127.0.0.1:50999: is the server running, and is --target right"
                + " (HOST:PORT)?");
  }

  @Test
  void aPlaintextClientOnATlsPortIsToldToAddTls() {
    Status closed = Status.UNAVAILABLE.withDescription("Network closed for unknown reason");

    assertThat(ConnectionHint.of(closed, PLAIN)).contains("may speak TLS: add --tls");
    assertThat(ConnectionHint.of(closed, TLS)).isNull();
  }

  @Test
  void anUntrustedCertificateNamesCaCert() {
    Status untrusted =
        Status.UNAVAILABLE
            .withDescription("io exception\nChannel Pipeline: [SslHandler#0, ...]")
            .withCause(
                new SSLHandshakeException(
                    "PKIX path building failed: unable to find valid certification path to"
                        + " requested target"));

    assertThat(ConnectionHint.of(untrusted, TLS))
        .isEqualTo(
            "the server's certificate is not trusted: give the certificate of the authority that"
                + " signed it with --ca-cert FILE");
    assertThat(ZeroShotCli.describe(untrusted)).doesNotContain("Channel Pipeline");
  }

  @Test
  void otherStatusesGetNoHint() {
    assertThat(ConnectionHint.of(Status.INVALID_ARGUMENT.withDescription("x"), PLAIN)).isNull();
    assertThat(ConnectionHint.of(Status.UNAVAILABLE.withDescription("shutting down"), PLAIN))
        .isNull();
  }
}
