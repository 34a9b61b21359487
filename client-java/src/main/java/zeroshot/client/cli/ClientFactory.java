package zeroshot.client.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
      if (settings.clientCert() != null) {
        builder.clientCertificate(settings.clientCert(), settings.clientKey());
      }
      String token =
          settings.tokenFile() != null ? readToken(settings.tokenFile()) : settings.token();
      if (token != null) {
        builder.bearerToken(token);
      }
      if (settings.directExecutor()) {
        builder.directExecutor();
      }
      return builder.build();
    };
  }

  /**
   * The token in {@code file}, without surrounding white space.
   *
   * @throws UncheckedIOException if the file cannot be read or holds no token
   */
  private static String readToken(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("--token-file: " + file + " cannot be read: " + e, e);
    }
    if (token.isEmpty()) {
      String message = "--token-file: " + file + " is empty (expected: one token)";
      throw new UncheckedIOException(message, new IOException(message));
    }
    return token;
  }
}
