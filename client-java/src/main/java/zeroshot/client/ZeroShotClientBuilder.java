package zeroshot.client;

import static java.util.Objects.requireNonNull;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds a {@link ZeroShotClient} that owns its channel. Defaults: target {@value #DEFAULT_TARGET},
 * plaintext, a {@link ZeroShotClient#DEFAULT_DEADLINE} of 30 seconds, grpc's default load balancing
 * ({@code pick_first}) and maximum inbound message size (4 MiB).
 */
public final class ZeroShotClientBuilder {

  /** The target used when none is set. */
  public static final String DEFAULT_TARGET = "localhost:50051";

  private String target = DEFAULT_TARGET;
  private boolean tls;
  private Path trustedCertificates; // null: the system's trust store
  private Path clientCertificateChain; // with clientPrivateKey: mutual TLS
  private Path clientPrivateKey;
  private String bearerToken; // null: no authorization header
  private Duration defaultDeadline = ZeroShotClient.DEFAULT_DEADLINE;
  private String loadBalancingPolicy; // null: grpc's default
  private int maxInboundMessageBytes; // 0: grpc's default
  private boolean directExecutor;

  ZeroShotClientBuilder() {}

  /**
   * Sets the server to connect to, as a grpc target string: {@code host:port}, or a URI such as
   * {@code dns:///zeroshot-headless:50051}.
   */
  public ZeroShotClientBuilder target(String target) {
    requireNonNull(target, "target");
    if (target.isBlank()) {
      throw new IllegalArgumentException("target: blank (expected: e.g. localhost:50051)");
    }
    this.target = target;
    return this;
  }

  /** Connects without TLS (the default); forgets a client certificate. */
  public ZeroShotClientBuilder plaintext() {
    tls = false;
    trustedCertificates = null;
    clientCertificateChain = null;
    clientPrivateKey = null;
    return this;
  }

  /** Connects with TLS, trusting the system's certificate authorities. */
  public ZeroShotClientBuilder tls() {
    tls = true;
    trustedCertificates = null;
    return this;
  }

  /** Connects with TLS, trusting the certificates in the given PEM file. */
  public ZeroShotClientBuilder tls(Path trustedCertificates) {
    tls = true;
    this.trustedCertificates = requireNonNull(trustedCertificates, "trustedCertificates");
    return this;
  }

  /**
   * Presents this certificate to the server, for servers that require one (mutual TLS, the server's
   * {@code --tls-client-ca}). Needs TLS: call {@link #tls()} or {@link #tls(Path)} too.
   *
   * @param certificateChain PEM file of the client's certificate (and intermediates)
   * @param privateKey PEM file of its unencrypted PKCS#8 private key
   */
  public ZeroShotClientBuilder clientCertificate(Path certificateChain, Path privateKey) {
    this.clientCertificateChain = requireNonNull(certificateChain, "certificateChain");
    this.clientPrivateKey = requireNonNull(privateKey, "privateKey");
    return this;
  }

  /**
   * Sends {@code authorization: Bearer <token>} with every call, for servers started with {@code
   * --auth-token-file}. The token travels in clear text unless the connection uses TLS.
   */
  public ZeroShotClientBuilder bearerToken(String token) {
    requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("token: blank (expected: the server's token)");
    }
    this.bearerToken = token.strip();
    return this;
  }

  /** Sets the deadline of calls that give none; must be positive (default 30 seconds). */
  public ZeroShotClientBuilder defaultDeadline(Duration defaultDeadline) {
    this.defaultDeadline = Deadlines.checkPositive(defaultDeadline, "defaultDeadline");
    return this;
  }

  /**
   * Sets the load-balancing policy, e.g. {@code round_robin} to spread calls over every address a
   * headless service resolves to.
   */
  public ZeroShotClientBuilder loadBalancingPolicy(String policy) {
    this.loadBalancingPolicy = requireNonNull(policy, "policy");
    return this;
  }

  /** Sets the largest response accepted, in bytes; larger ones fail with RESOURCE_EXHAUSTED. */
  public ZeroShotClientBuilder maxInboundMessageBytes(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxInboundMessageBytes: " + bytes + " (expected: > 0)");
    }
    this.maxInboundMessageBytes = bytes;
    return this;
  }

  /**
   * Runs the asynchronous calls' completions (and whatever the caller chains onto their futures) on
   * the transport's event-loop thread instead of grpc's default thread pool. This saves a thread
   * hand-off per call, which is most of a load generator's CPU when it shares a small machine with
   * the server, but any blocking or slow work chained onto a future then stalls every call on the
   * connection: only for callers whose completions are short and never block (grpc's {@code
   * ManagedChannelBuilder.directExecutor}).
   */
  public ZeroShotClientBuilder directExecutor() {
    this.directExecutor = true;
    return this;
  }

  /**
   * Creates the channel and the client. Connecting is lazy: an unreachable server shows up on the
   * first call, as UNAVAILABLE.
   *
   * @throws UncheckedIOException if the trusted certificates or the client certificate cannot be
   *     read
   * @throws IllegalStateException if a client certificate is set without TLS
   */
  public ZeroShotClient build() {
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(target, credentials()).userAgent(ClientVersion.userAgent());
    if (loadBalancingPolicy != null) {
      builder.defaultLoadBalancingPolicy(loadBalancingPolicy);
    }
    if (maxInboundMessageBytes > 0) {
      builder.maxInboundMessageSize(maxInboundMessageBytes);
    }
    if (directExecutor) {
      builder.directExecutor();
    }
    ManagedChannel channel = builder.build();
    return new ZeroShotClient(channel, channel, defaultDeadline);
  }

  private ChannelCredentials credentials() {
    ChannelCredentials channel = channelCredentials();
    return bearerToken == null
        ? channel
        : CompositeChannelCredentials.create(channel, new BearerToken(bearerToken));
  }

  private ChannelCredentials channelCredentials() {
    if (!tls) {
      if (clientCertificateChain != null) {
        throw new IllegalStateException(
            "clientCertificate: " + clientCertificateChain + " (expected: only with tls)");
      }
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    try {
      if (trustedCertificates != null) {
        builder.trustManager(trustedCertificates.toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trusted certificates: " + e.getMessage(), e);
    }
    try {
      if (clientCertificateChain != null) {
        builder.keyManager(clientCertificateChain.toFile(), clientPrivateKey.toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read client certificate: " + e.getMessage(), e);
    }
    return builder.build();
  }
}
