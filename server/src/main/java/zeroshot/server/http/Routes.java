package zeroshot.server.http;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The HTTP routes of a gRPC service, read from its {@code google.api.http} options, so that this
 * server, Envoy's transcoder and grpc-gateway all route the same paths to the same RPCs.
 */
final class Routes {
  /** A matched route with the path variables it bound. */
  record Match(HttpRoute route, Map<String, String> variables) {}

  private final List<HttpRoute> routes;

  private Routes(List<HttpRoute> routes) {
    this.routes = List.copyOf(routes);
  }

  /**
   * The routes of every annotated method of {@code service}.
   *
   * @throws IllegalArgumentException if a method of the service has no {@code google.api.http}
   *     option: every RPC must be reachable over HTTP
   */
  static Routes of(ServiceDescriptor service) {
    List<HttpRoute> routes = new ArrayList<>();
    for (MethodDescriptor<?, ?> method : service.getMethods()) {
      HttpRoute route = HttpRoute.of(method);
      if (route == null) {
        throw new IllegalArgumentException(
            method.getFullMethodName() + ": no google.api.http option (expected: one per RPC)");
      }
      routes.add(route);
    }
    return new Routes(routes);
  }

  List<HttpRoute> all() {
    return routes;
  }

  /** The route for {@code verb} on {@code path} (split at '/', percent-decoded), if any. */
  Optional<Match> find(HttpMethod verb, List<String> path) {
    for (HttpRoute route : routes) {
      if (route.verb().equals(verb)) {
        Optional<Map<String, String>> variables = route.path().match(path);
        if (variables.isPresent()) {
          return Optional.of(new Match(route, variables.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** The verbs that {@code path} has routes for (for 405's Allow header); empty: none. */
  List<HttpMethod> verbsOf(List<String> path) {
    return routes.stream()
        .filter(route -> route.path().match(path).isPresent())
        .map(HttpRoute::verb)
        .distinct()
        .toList();
  }

  /** Every route, e.g. "POST /v1/classify, GET /v1/models, ...", for error messages. */
  String describe() {
    return routes.stream().map(HttpRoute::describe).collect(Collectors.joining(", "));
  }
}
