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
 */
public record ConnectionSettings(
    String target, boolean tls, Path caCert, Duration deadline, boolean directExecutor) {

  /** Settings whose completions run on grpc's default thread pool. */
  public ConnectionSettings(String target, boolean tls, Path caCert, Duration deadline) {
    this(target, tls, caCert, deadline, false);
  }

  /** Checks the settings. */
  public ConnectionSettings {
    requireNonNull(target, "target");
    requireNonNull(deadline, "deadline");
    if (caCert != null && !tls) {
      throw new IllegalArgumentException("caCert: " + caCert + " (expected: only with tls)");
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline: " + deadline + " (expected: > 0)");
    }
  }

  /** Returns these settings with {@code directExecutor} on. */
  public ConnectionSettings withDirectExecutor() {
    return new ConnectionSettings(target, tls, caCert, deadline, true);
  }
}
