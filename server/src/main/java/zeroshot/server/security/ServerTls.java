package zeroshot.server.security;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import zeroshot.server.config.SecuritySettings;

/**
 * The gRPC port's credentials: plaintext, TLS, or TLS that requires a client certificate signed by
 * a given authority. The files are read and checked here, so a wrong one stops the start with the
 * option's name rather than failing every handshake later.
 */
public final class ServerTls {
  private ServerTls() {}

  /**
   * Credentials for {@code settings}.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if a file is not the PEM it should be
   */
  public static ServerCredentials credentials(SecuritySettings settings) throws IOException {
    if (!settings.tls()) {
      return InsecureServerCredentials.create();
    }
    Pem pem = Pem.read(settings);
    TlsServerCredentials.Builder tls =
        TlsServerCredentials.newBuilder()
            .keyManager(new ByteArrayInputStream(pem.chain), new ByteArrayInputStream(pem.key));
    if (pem.authorities != null) {
      tls.trustManager(new ByteArrayInputStream(pem.authorities))
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return tls.build();
  }

  /**
   * The HTTP/JSON port's TLS, from the same files as the gRPC port's (client certificates
   * included), or null when the server is plaintext.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if a file is not the PEM it should be
   */
  public static SslContext httpContext(SecuritySettings settings) throws IOException {
    if (!settings.tls()) {
      return null;
    }
    Pem pem = Pem.read(settings);
    SslContextBuilder tls =
        SslContextBuilder.forServer(
            new ByteArrayInputStream(pem.chain), new ByteArrayInputStream(pem.key));
    if (pem.authorities != null) {
      tls.trustManager(new ByteArrayInputStream(pem.authorities)).clientAuth(ClientAuth.REQUIRE);
    }
    return tls.build();
  }

  /** The PEM files of {@code settings}, read and checked; {@code authorities} null without mTLS. */
  private record Pem(byte[] chain, byte[] key, byte[] authorities) {
    static Pem read(SecuritySettings settings) throws IOException {
      byte[] chain = pem("--tls-cert", settings.tlsCert().get(), "CERTIFICATE");
      byte[] key = privateKey(settings.tlsKey().get());
      KeyPairCheck.requireMatch(chain, settings.tlsCert().get(), key, settings.tlsKey().get());
      byte[] authorities =
          settings.mutualTls()
              ? pem("--tls-client-ca", settings.tlsClientCa().get(), "CERTIFICATE")
              : null;
      return new Pem(chain, key, authorities);
    }
  }

  /** Netty reads unencrypted PKCS#8 keys only; PKCS#1 and SEC1 ones get the command to convert. */
  private static byte[] privateKey(Path file) throws IOException {
    byte[] bytes = read("--tls-key", file);
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")
        || text.contains("-----BEGIN EC PRIVATE KEY-----")
        || text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          "--tls-key: "
              + file
              + " is not an unencrypted PKCS#8 key (expected: BEGIN PRIVATE KEY; convert with"
              + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8')");
    }
    return pem("--tls-key", file, bytes, "PRIVATE KEY");
  }

  private static byte[] pem(String option, Path file, String type) throws IOException {
    return pem(option, file, read(option, file), type);
  }

  private static byte[] pem(String option, Path file, byte[] bytes, String type) {
    if (!new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN " + type + "-----")) {
      throw new IllegalArgumentException(
          option + ": " + file + " (expected: a PEM file with BEGIN " + type + ")");
    }
    return bytes;
  }

  private static byte[] read(String option, Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException(option + ": " + file + " cannot be read: " + e, e);
    }
  }
}
