package zeroshot.client.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the CLI connects: the options common to every subcommand.
 *
 * @param target the grpc target, e.g. {@code localhost:50051}
 * @param tls whether to connect with TLS
 * @param caCert PEM file of the certificate authorities to trust, or null for the system's; set
 *     only with {@code tls}
 * @param deadline the deadline of each call; positive
 * @param directExecutor whether call completions run on the transport's thread (see {@link
 *     zeroshot.client.ZeroShotClientBuilder#directExecutor()}); only for commands whose completions
 *     never block, such as {@code bench}
 * @param clientCert PEM file of the certificate presented to a server that requires one (mutual
 *     TLS), or null; set only with {@code tls} and {@code clientKey}
 * @param clientKey PEM file of the private key of {@code clientCert}, or null
 * @param token the bearer token sent with every call, or null
 * @param tokenFile a file holding the bearer token, or null; not with {@code token}
 */
public record ConnectionSettings(
    String target,
    boolean tls,
    Path caCert,
    Duration deadline,
    boolean directExecutor,
    Path clientCert,
    Path clientKey,
    String token,
    Path tokenFile) {

  /** Settings without client certificate or token, whose completions run on grpc's pool. */
  public ConnectionSettings(String target, boolean tls, Path caCert, Duration deadline) {
    this(target, tls, caCert, deadline, false, null, null, null, null);
  }

  /** Checks the settings. */
  public ConnectionSettings {
    requireNonNull(target, "target");
    requireNonNull(deadline, "deadline");
    if (caCert != null && !tls) {
      throw new IllegalArgumentException("caCert: " + caCert + " (expected: only with tls)");
    }
    if (clientCert != null && !tls) {
      throw new IllegalArgumentException(
          "clientCert: " + clientCert + " (expected: only with tls)");
    }
    if ((clientCert == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "clientCert, clientKey: "
              + clientCert
              + ", "
              + clientKey
              + " (expected: both or neither)");
    }
    if (token != null && tokenFile != null) {
      throw new IllegalArgumentException(
          "token, tokenFile: both set (expected: at most one of them)");
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline: " + deadline + " (expected: > 0)");
    }
  }

  /** Returns these settings with {@code directExecutor} on. */
  public ConnectionSettings withDirectExecutor() {
    return new ConnectionSettings(
        target, tls, caCert, deadline, true, clientCert, clientKey, token, tokenFile);
  }

  /** Returns these settings with a client certificate (mutual TLS) and a bearer token. */
  public ConnectionSettings withCredentials(
      Path clientCert, Path clientKey, String token, Path tokenFile) {
    return new ConnectionSettings(
        target, tls, caCert, deadline, directExecutor, clientCert, clientKey, token, tokenFile);
  }

  /** As the record's, with the token hidden: settings may end up in a log or a test report. */
  @Override
  public String toString() {
    return "ConnectionSettings[target="
        + target
        + ", tls="
        + tls
        + ", caCert="
        + caCert
        + ", deadline="
        + deadline
        + ", directExecutor="
        + directExecutor
        + ", clientCert="
        + clientCert
        + ", clientKey="
        + clientKey
        + ", token="
        + (token == null ? null : "****")
        + ", tokenFile="
        + tokenFile
        + "]";
  }
}
