package zeroshot.server.http;

import com.google.rpc.Code;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.stream.Collectors;
import zeroshot.server.messages.Echo;

/**
 * Requests refused by the HTTP port itself, before any RPC: no route for the path (404), a route
 * for another verb (405), a body over the size limit (413). They carry their own HTTP status, since
 * the gRPC code alone would map to another (RESOURCE_EXHAUSTED is 429, "retry later", but a body
 * too large never fits).
 */
final class RouteErrors {
  /** A refusal with its HTTP status and the google.rpc.Status body. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient HttpResponseStatus status;
    final transient com.google.rpc.Status body;
    final String allow; // the Allow header of a 405, else null

    Refusal(HttpResponseStatus status, Code code, String message, String allow) {
      super(message, null, false, false);
      this.status = status;
      this.body =
          com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
      this.allow = allow;
    }
  }

  private RouteErrors() {}

  static Refusal noRoute(Routes routes, HttpMethod verb, String path, List<String> segments) {
    List<HttpMethod> verbs = routes.verbsOf(segments);
    if (!verbs.isEmpty()) {
      String allow = verbs.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
      return new Refusal(
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          Code.UNIMPLEMENTED,
          verb + " " + Echo.value(path) + ": no such route (expected: " + allow + ")",
          allow);
    }
    return new Refusal(
        HttpResponseStatus.NOT_FOUND,
        Code.NOT_FOUND,
        verb
            + " "
            + Echo.value(path)
            + ": no such route (expected one of: "
            + routes.describe()
            + "; the playground is GET /)",
        null);
  }

  static Refusal tooLarge(long length, long maxBodyBytes) {
    return new Refusal(
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        Code.RESOURCE_EXHAUSTED,
        "body: "
            + (length >= 0 ? length + " bytes" : "more bytes")
            + " (expected: at most "
            + maxBodyBytes
            + " bytes: the server's max message size, with room for base64)",
        null);
  }
}
