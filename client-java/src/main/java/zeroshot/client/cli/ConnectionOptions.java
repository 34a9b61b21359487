package zeroshot.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The connection options every subcommand takes (a picocli mixin). */
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

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Deadline of the call, e.g. 500ms, 10s, 2m (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  ConnectionSettings settings() {
    return new ConnectionSettings(target, tls || caCert != null, caCert, deadline);
  }
}
