package zeroshot.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The connection options every subcommand takes (a picocli mixin). The deadline is not one of them:
 * it bounds one call ({@link CallDeadline}) or, in {@code classify-folder}, the whole stream.
 */
final class ConnectionOptions {

  @Option(
      names = "--target",
      paramLabel = "TARGET",
      defaultValue = "${env:ZEROSHOT_TARGET:-localhost:50051}",
      description =
          "Server to call: host:port or a grpc target such as dns:///host:50051 "
              + "(default: $$ZEROSHOT_TARGET, else localhost:50051; now: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--tls", description = "Connect with TLS, trusting the system's CAs.")
  boolean tls;

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      description = "Connect with TLS, trusting the CA certificates in this PEM file.")
  Path caCert;

  @ArgGroup(exclusive = false)
  ClientCertificate clientCertificate;

  @ArgGroup(exclusive = true)
  Token token;

  /** Mutual TLS: a certificate and its key, both or neither. */
  static final class ClientCertificate {
    @Option(
        names = "--client-cert",
        paramLabel = "FILE",
        required = true,
        description =
            "Connect with TLS and present this PEM certificate, for a server that requires"
                + " client certificates (mutual TLS). Needs --client-key.")
    Path certificate;

    @Option(
        names = "--client-key",
        paramLabel = "FILE",
        required = true,
        description = "PEM private key of --client-cert, unencrypted PKCS#8.")
    Path privateKey;
  }

  /** The bearer token, from a file or (visible in ps) the command line. */
  static final class Token {
    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description =
            "Send the bearer token in this file (surrounding white space removed) with every"
                + " call.")
    Path file;

    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        description =
            "Send this bearer token with every call. Prefer --token-file: a command line is"
                + " visible to every user of the machine (ps).")
    String value;
  }

  /**
   * The settings of a client that connects as these options say, {@code deadline} being the
   * deadline of each call (see {@link CallDeadline}).
   */
  ConnectionSettings settings(Duration deadline) {
    boolean mutual = clientCertificate != null;
    return new ConnectionSettings(target, tls || caCert != null || mutual, caCert, deadline)
        .withCredentials(
            mutual ? clientCertificate.certificate : null,
            mutual ? clientCertificate.privateKey : null,
            token != null ? token.value : null,
            token != null ? token.file : null);
  }
}
