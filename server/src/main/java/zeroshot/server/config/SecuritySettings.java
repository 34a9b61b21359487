package zeroshot.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Who may talk to the gRPC port: TLS, client certificates (mutual TLS) and a bearer token. The
 * files are only named here; they are read when the server starts.
 *
 * @param tlsCert PEM certificate chain of the server; with {@code tlsKey}, the port speaks TLS only
 * @param tlsKey PEM private key (PKCS#8) of {@code tlsCert}
 * @param tlsClientCa PEM certificates of the authorities that sign client certificates; when set,
 *     every client must present one (mutual TLS). Needs TLS.
 * @param authTokenFile file holding the one token that {@code zeroshot.v1.ZeroShotService} calls
 *     must send as {@code authorization: Bearer <token>}; health and reflection stay open
 * @param healthPort a second, plaintext port serving only {@code grpc.health.v1}, for probes that
 *     cannot speak TLS such as Kubernetes' gRPC probes; -1: none, 0: any free port
 * @param allowPlaintextToken whether a token may be required on a plaintext port, where it crosses
 *     the network in clear text: only where something else (a service mesh, a proxy) encrypts the
 *     connection. Without it, a token without TLS stops the start.
 */
public record SecuritySettings(
    Optional<Path> tlsCert,
    Optional<Path> tlsKey,
    Optional<Path> tlsClientCa,
    Optional<Path> authTokenFile,
    int healthPort,
    boolean allowPlaintextToken) {

  /** Plaintext, no client certificates, no token, no separate health port. */
  public static final SecuritySettings NONE =
      new SecuritySettings(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), -1, false);

  public SecuritySettings {
    requireNonNull(tlsCert, "tlsCert");
    requireNonNull(tlsKey, "tlsKey");
    requireNonNull(tlsClientCa, "tlsClientCa");
    requireNonNull(authTokenFile, "authTokenFile");
    if (tlsCert.isPresent() && tlsKey.isEmpty()) {
      throw new IllegalArgumentException(
          "--tls-key: none (expected: the PEM private key of --tls-cert " + tlsCert.get() + ")");
    }
    if (tlsKey.isPresent() && tlsCert.isEmpty()) {
      throw new IllegalArgumentException(
          "--tls-cert: none (expected: the PEM certificate chain of --tls-key "
              + tlsKey.get()
              + ")");
    }
    if (tlsClientCa.isPresent() && tlsCert.isEmpty()) {
      throw new IllegalArgumentException(
          "--tls-client-ca: "
              + tlsClientCa.get()
              + " (expected: only with --tls-cert and --tls-key: client certificates need TLS)");
    }
    if (authTokenFile.isPresent() && tlsCert.isEmpty() && !allowPlaintextToken) {
      throw new IllegalArgumentException(
          "--auth-token-file: "
              + authTokenFile.get()
              + " without --tls-cert and --tls-key (expected: TLS, so that the token does not"
              + " cross the network in clear text; or --allow-plaintext-token where a service mesh"
              + " or proxy encrypts the connection)");
    }
    if (healthPort < -1 || healthPort > 65_535) {
      throw new IllegalArgumentException(
          "--health-port: " + healthPort + " (expected: 0..65535, or -1 for none)");
    }
  }

  /** As the canonical constructor, with a token refused on a plaintext port. */
  public SecuritySettings(
      Optional<Path> tlsCert,
      Optional<Path> tlsKey,
      Optional<Path> tlsClientCa,
      Optional<Path> authTokenFile,
      int healthPort) {
    this(tlsCert, tlsKey, tlsClientCa, authTokenFile, healthPort, false);
  }

  /** Whether the gRPC port speaks TLS. */
  public boolean tls() {
    return tlsCert.isPresent();
  }

  /** Whether clients must present a certificate signed by {@link #tlsClientCa}. */
  public boolean mutualTls() {
    return tlsClientCa.isPresent();
  }

  /** Whether API calls must carry the bearer token. */
  public boolean tokenRequired() {
    return authTokenFile.isPresent();
  }
}
