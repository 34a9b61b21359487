package zeroshot.server.api;

import com.google.protobuf.Message;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.List;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;

/**
 * Answers a request whose bytes are not a valid protobuf of its type with INVALID_ARGUMENT ({@code
 * request: not a valid zeroshot.v1.ClassifyRequest protobuf: ...}), through {@link StatusMapper}
 * like every client mistake.
 *
 * <p>grpc-java parses a request before any interceptor or handler sees it, and ends the call with
 * UNKNOWN "Application error processing RPC" (and a SEVERE log line with a stack trace) whatever
 * the marshaller throws. So {@link #refuse} registers every method again with a request marshaller
 * that does not throw: it yields the message or the parse failure, and the handler here ends the
 * call on a failure before the service's own handler sees a request.
 */
public final class MalformedRequests {
  /** Characters of the protobuf library's own explanation kept in the message. */
  private static final int MAX_DETAIL_CHARS = 120;

  private MalformedRequests() {}

  /**
   * The same service, whose methods refuse unparseable requests with INVALID_ARGUMENT: this API,
   * and the standard health and reflection services served beside it.
   */
  public static ServerServiceDefinition refuse(ServerServiceDefinition service) {
    List<ServerMethodDefinition<?, ?>> methods =
        service.getMethods().stream()
            .<ServerMethodDefinition<?, ?>>map(MalformedRequests::refuse)
            .toList();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(service.getServiceDescriptor().getName())
            .setSchemaDescriptor(service.getServiceDescriptor().getSchemaDescriptor());
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(out::addMethod);
    return out.build();
  }

  /** A request as parsed: the message, or why the bytes are not one. */
  private record Parsed<Q>(Q message, RuntimeException failure) {}

  private static <Q, A> ServerMethodDefinition<Parsed<Q>, A> refuse(
      ServerMethodDefinition<Q, A> definition) {
    MethodDescriptor<Q, A> method = definition.getMethodDescriptor();
    MethodDescriptor.Marshaller<Q> parser = method.getRequestMarshaller();
    MethodDescriptor<Parsed<Q>, A> wire =
        method.toBuilder(new ParsingMarshaller<>(parser), method.getResponseMarshaller()).build();
    String type = typeName(method);
    ServerCallHandler<Q, A> handler = definition.getServerCallHandler();
    return ServerMethodDefinition.create(
        wire,
        (call, headers) ->
            new Unwrapping<>(
                call, handler.startCall(new TypedCall<>(call, method), headers), type));
  }

  /** "zeroshot.v1.ClassifyRequest" for a protobuf marshaller. */
  private static String typeName(MethodDescriptor<?, ?> method) {
    if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
        && p.getMessagePrototype() instanceof Message m) {
      return m.getDescriptorForType().getFullName();
    }
    return method.getFullMethodName() + " request";
  }

  private record ParsingMarshaller<Q>(MethodDescriptor.Marshaller<Q> parser)
      implements MethodDescriptor.Marshaller<Parsed<Q>> {
    @Override
    public InputStream stream(Parsed<Q> value) {
      return parser.stream(value.message());
    }

    @Override
    public Parsed<Q> parse(InputStream stream) {
      try {
        return new Parsed<>(parser.parse(stream), null);
      } catch (RuntimeException e) {
        return new Parsed<>(null, e);
      }
    }
  }

  /**
   * Hands parsed messages on; ends the call on the first that is not one, and then tells the
   * service's handler the call is over (as a cancellation: nothing it sends goes anywhere).
   */
  private static final class Unwrapping<Q, A> extends ServerCall.Listener<Parsed<Q>> {
    private final ServerCall<Parsed<Q>, A> call;
    private final ServerCall.Listener<Q> next;
    private final String type;
    private boolean refused;

    Unwrapping(ServerCall<Parsed<Q>, A> call, ServerCall.Listener<Q> next, String type) {
      this.call = call;
      this.next = next;
      this.type = type;
    }

    @Override
    public void onMessage(Parsed<Q> parsed) {
      if (refused) {
        return;
      }
      if (parsed.failure() == null) {
        next.onMessage(parsed.message());
        return;
      }
      refused = true;
      StatusRuntimeException status =
          StatusMapper.toStatus(
              new InvalidFieldException(
                  "request",
                  "not a valid "
                      + type
                      + " protobuf: "
                      + Echo.value(reason(parsed.failure()), MAX_DETAIL_CHARS)
                      + " (expected: a serialized "
                      + type
                      + ")"));
      call.close(status.getStatus(), status.getTrailers());
      next.onCancel();
    }

    /**
     * The first sentence of the innermost message: the protobuf library's, under grpc-java's
     * "Invalid protobuf byte sequence".
     */
    private static String reason(Throwable failure) {
      String reason = "unreadable";
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t.getMessage() != null) {
          reason = t.getMessage();
        }
      }
      int end = reason.indexOf(". ");
      return end < 0 ? reason : reason.substring(0, end + 1);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        next.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      if (!refused) {
        next.onCancel();
      }
    }

    @Override
    public void onComplete() {
      if (!refused) {
        next.onComplete();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        next.onReady();
      }
    }
  }

  /** The call as the service's handler expects it: typed by the original method. */
  private static final class TypedCall<Q, A> extends ServerCall<Q, A> {
    private final ServerCall<Parsed<Q>, A> call;
    private final MethodDescriptor<Q, A> method;

    TypedCall(ServerCall<Parsed<Q>, A> call, MethodDescriptor<Q, A> method) {
      this.call = call;
      this.method = method;
    }

    @Override
    public MethodDescriptor<Q, A> getMethodDescriptor() {
      return method;
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      call.sendHeaders(headers);
    }

    @Override
    public void sendMessage(A message) {
      call.sendMessage(message);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void close(Status status, Metadata trailers) {
      call.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }
  }
}
