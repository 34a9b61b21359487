package zeroshot.client;

import static java.util.Objects.requireNonNull;

import io.grpc.ChannelCredentials;
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

  /** Connects without TLS (the default). */
  public ZeroShotClientBuilder plaintext() {
    tls = false;
    trustedCertificates = null;
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
   * @throws UncheckedIOException if the trusted certificates cannot be read
   */
  public ZeroShotClient build() {
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials());
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
    if (!tls) {
      return InsecureChannelCredentials.create();
    }
    if (trustedCertificates == null) {
      return TlsChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder().trustManager(trustedCertificates.toFile()).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trusted certificates: " + e.getMessage(), e);
    }
  }
}
