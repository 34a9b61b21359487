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
 */
public record ConnectionSettings(String target, boolean tls, Path caCert, Duration deadline) {

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
}
