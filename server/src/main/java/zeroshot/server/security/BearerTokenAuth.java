package zeroshot.server.security;

import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through only if it carries {@code authorization: Bearer <token>} with the server's
 * token; any other call ends at once with UNAUTHENTICATED. The token is compared in constant time
 * and never appears in a message or a log.
 */
public final class BearerTokenAuth implements ServerInterceptor {
  /** The header, as gRPC clients (and HTTP) send it. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final String SCHEME = "Bearer ";
  private static final Logger log = LoggerFactory.getLogger(BearerTokenAuth.class);

  private final byte[] expectedDigest;

  /** Checks calls against {@code token}, which must not be blank. */
  public BearerTokenAuth(String token) {
    requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("token: blank (expected: at least one character)");
    }
    this.expectedDigest = sha256(token);
  }

  /**
   * Reads the token from {@code file}: its whole content, without surrounding white space.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it holds no token
   */
  public static BearerTokenAuth fromFile(Path file) throws IOException {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IOException("--auth-token-file: " + file + " cannot be read: " + e, e);
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException(
          "--auth-token-file: " + file + " is empty (expected: a file holding one token)");
    }
    if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException(
          "--auth-token-file: "
              + file
              + " holds white space, control or non-ASCII characters (expected: one token of"
              + " printable ASCII, as an HTTP header carries it)");
    }
    TokenFilePermissions.warning(file, TokenFilePermissions.processGroups()).ifPresent(log::warn);
    return new BearerTokenAuth(token);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String header = headers.get(AUTHORIZATION);
    String problem;
    if (header == null) {
      problem = "no authorization header (expected: 'authorization: Bearer <token>')";
    } else if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      problem = "authorization header is not a bearer token (expected: 'Bearer <token>')";
    } else if (!MessageDigest.isEqual(
        expectedDigest, sha256(header.substring(SCHEME.length()).strip()))) {
      problem = "wrong bearer token (expected: the token of the server's --auth-token-file)";
    } else {
      return next.startCall(call, headers);
    }
    call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /**
   * Both sides are hashed first so that {@link MessageDigest#isEqual} compares equal lengths: its
   * time then depends neither on where the tokens differ nor on the length of the one sent.
   */
  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
