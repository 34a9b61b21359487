package zeroshot.client.cli;

import zeroshot.client.ZeroShotClient;
import zeroshot.client.ZeroShotClientBuilder;

/**
 * Creates the client a CLI command calls, from the connection options; tests pass one that wraps an
 * in-process channel.
 */
@FunctionalInterface
public interface ClientFactory {

  /**
   * Returns a client for the settings; the command closes it when done.
   *
   * @throws java.io.UncheckedIOException if a file the settings name cannot be read
   */
  ZeroShotClient create(ConnectionSettings settings);

  /** Returns the factory of clients that connect over the network, as the settings say. */
  static ClientFactory network() {
    return settings -> {
      ZeroShotClientBuilder builder =
          ZeroShotClient.builder().target(settings.target()).defaultDeadline(settings.deadline());
      if (settings.caCert() != null) {
        builder.tls(settings.caCert());
      } else if (settings.tls()) {
        builder.tls();
      }
      if (settings.directExecutor()) {
        builder.directExecutor();
      }
      return builder.build();
    };
  }
}
