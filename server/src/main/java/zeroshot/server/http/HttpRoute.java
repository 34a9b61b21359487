package zeroshot.server.http;

import static java.util.Objects.requireNonNull;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One RPC as an HTTP route, read from its {@code google.api.http} option: the verb, the path
 * template, and what the body holds ({@code "*"}: the whole request; a field name: that field;
 * empty: no body, the fields come from the path and the query).
 *
 * @param method the RPC, called through the in-process channel
 * @param prototype the request message's default instance, to build requests from
 */
record HttpRoute(
    HttpMethod verb,
    PathTemplate path,
    String body,
    MethodDescriptor<Message, Message> method,
    Message prototype) {

  HttpRoute {
    requireNonNull(verb, "verb");
    requireNonNull(path, "path");
    requireNonNull(body, "body");
    requireNonNull(method, "method");
    requireNonNull(prototype, "prototype");
  }

  /** The route of {@code method}, or null when it has no {@code google.api.http} option. */
  @SuppressWarnings("unchecked")
  static HttpRoute of(MethodDescriptor<?, ?> method) {
    if (!(method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier)) {
      return null;
    }
    var options = supplier.getMethodDescriptor().getOptions();
    if (!options.hasExtension(AnnotationsProto.http)) {
      return null;
    }
    HttpRule rule = options.getExtension(AnnotationsProto.http);
    HttpMethod verb;
    String path;
    switch (rule.getPatternCase()) {
      case GET -> {
        verb = HttpMethod.GET;
        path = rule.getGet();
      }
      case POST -> {
        verb = HttpMethod.POST;
        path = rule.getPost();
      }
      case PUT -> {
        verb = HttpMethod.PUT;
        path = rule.getPut();
      }
      case DELETE -> {
        verb = HttpMethod.DELETE;
        path = rule.getDelete();
      }
      case PATCH -> {
        verb = HttpMethod.PATCH;
        path = rule.getPatch();
      }
      default ->
          throw new IllegalArgumentException(
              method.getFullMethodName()
                  + ": google.api.http "
                  + rule.getPatternCase()
                  + " (expected: get, post, put, delete or patch)");
    }
    Message prototype =
        (Message)
            ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller())
                .getMessagePrototype();
    return new HttpRoute(
        verb,
        PathTemplate.parse(path),
        rule.getBody(),
        (MethodDescriptor<Message, Message>) method,
        prototype);
  }

  /** Whether the client streams requests (ClassifyStream): the body is newline-delimited JSON. */
  boolean streaming() {
    return method.getType() == MethodDescriptor.MethodType.BIDI_STREAMING
        || method.getType() == MethodDescriptor.MethodType.CLIENT_STREAMING;
  }

  /** E.g. {@code POST /v1/classify}. */
  String describe() {
    return verb + " " + path.text();
  }
}
