package zeroshot.client.cli;

import io.grpc.Status;
import java.util.Locale;

/**
 * What to do about a call that never reached the server, in words: grpc-java reports a refused
 * connection, a plaintext client talking to a TLS port and an untrusted server certificate as
 * UNAVAILABLE with a transport message ("finishConnect(..) failed", "Network closed for unknown
 * reason", a Netty pipeline dump) that does not say which option to change.
 */
final class ConnectionHint {
  private ConnectionHint() {}

  /** The hint for {@code status} of a call made with {@code settings}, or null if none applies. */
  static String of(Status status, ConnectionSettings settings) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return null;
    }
    String text = text(status);
    String target = settings.target();
    if (text.contains("connection refused") || text.contains("finishconnect")) {
      return "nothing listens at "
          + target
          + ": is the server running, and is --target right (HOST:PORT)?";
    }
    if (text.contains("unable to find valid certification path")
        || text.contains("pkix path building failed")
        || text.contains("certificate_unknown")) {
      return "the server's certificate is not trusted: give the certificate of the authority"
          + " that signed it with --ca-cert FILE";
    }
    if (!settings.tls()
        && (text.contains("network closed for unknown reason")
            || text.contains("first received frame was not settings"))) {
      return "the server at "
          + target
          + " may speak TLS: add --tls (and --ca-cert FILE for a private authority)";
    }
    if (settings.tls() && (text.contains("not an ssl/tls record") || text.contains("ssl"))) {
      return "the TLS handshake with "
          + target
          + " failed: does the server speak TLS, and does --ca-cert name its authority?";
    }
    return null;
  }

  /** The description and every cause's message, lower-cased. */
  private static String text(Status status) {
    StringBuilder all = new StringBuilder(String.valueOf(status.getDescription()));
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      all.append(' ').append(t.getMessage());
    }
    return all.toString().toLowerCase(Locale.ROOT);
  }
}
