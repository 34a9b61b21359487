package zeroshot.server.api;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.batching.DeadlineExpiredException;
import zeroshot.server.batching.QueueFullException;
import zeroshot.server.inference.OverloadedException;
import zeroshot.server.labels.LabelSetLimitException;
import zeroshot.server.labels.UnknownLabelSetException;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;
import zeroshot.server.model.ModelNotReadyException;
import zeroshot.server.model.UnknownModelException;

/**
 * The one place where failures become gRPC statuses. Client mistakes carry a {@code
 * google.rpc.BadRequest} naming the field; overload carries a {@code google.rpc.RetryInfo}; an
 * internal failure sends only an incident id, and logs the details under it.
 *
 * <p>Messages echo client values already bounded where they are built ({@link Echo}); as a safety
 * net every description is also cut at {@link #MAX_DESCRIPTION_CHARS}, because it travels twice in
 * the response headers (clients refuse more than 8 KiB of them by default).
 */
public final class StatusMapper {
  private static final Logger log = LoggerFactory.getLogger(StatusMapper.class);

  /** How long a client should wait before retrying an overloaded server. */
  static final Duration RETRY_DELAY = Duration.newBuilder().setNanos(200_000_000).build();

  /** The trailer in which gRPC's retry policy reads a server's requested delay, in ms. */
  static final Metadata.Key<String> RETRY_PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** Longest description sent, in code points; a longer one is cut. */
  static final int MAX_DESCRIPTION_CHARS = 1_024;

  private StatusMapper() {}

  /** The status that {@code failure} (a server exception, or a status already) is sent as. */
  public static StatusRuntimeException toStatus(Throwable failure) {
    Throwable t = unwrap(failure);
    String message =
        t.getMessage() == null ? null : Echo.value(t.getMessage(), MAX_DESCRIPTION_CHARS);
    if (t instanceof InvalidFieldException e) {
      return badRequest(e.field(), message);
    }
    if (t instanceof UnknownModelException || t instanceof UnknownLabelSetException) {
      return Status.NOT_FOUND.withDescription(message).asRuntimeException();
    }
    if (t instanceof ModelNotReadyException) {
      return Status.UNAVAILABLE.withDescription(message).asRuntimeException();
    }
    if (t instanceof DeadlineExpiredException) {
      return Status.DEADLINE_EXCEEDED.withDescription(message).asRuntimeException();
    }
    if (t instanceof RejectedExecutionException) {
      return Status.UNAVAILABLE.withDescription(message).asRuntimeException();
    }
    if (t instanceof OverloadedException || t instanceof QueueFullException) {
      RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(RETRY_DELAY).build();
      // The same delay in the trailer that gRPC's own retry policy reads (gRFC A6), so clients
      // that retry RESOURCE_EXHAUSTED through it back off instead of retrying at once.
      Metadata pushback = new Metadata();
      pushback.put(RETRY_PUSHBACK, Long.toString(RETRY_DELAY.getNanos() / 1_000_000));
      return rich(Code.RESOURCE_EXHAUSTED, message, Any.pack(retry), pushback);
    }
    if (t instanceof LabelSetLimitException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(message).asRuntimeException();
    }
    if (t instanceof CancellationException) {
      return Status.CANCELLED.withDescription("call cancelled").asRuntimeException();
    }
    if (t instanceof StatusRuntimeException e) {
      return e;
    }
    String incident = UUID.randomUUID().toString().substring(0, 8);
    log.error("incident {}: request failed inside the server", incident, t);
    return Status.INTERNAL
        .withDescription(
            "internal error (incident " + incident + "; details are in the server log)")
        .asRuntimeException();
  }

  /** A ClassifyStream item read after the shutdown began: answered, not run. */
  static StatusRuntimeException itemNotRun() {
    return Status.UNAVAILABLE
        .withDescription("server shutting down: item not run; send it to another server")
        .asRuntimeException();
  }

  /** The end of a ClassifyStream that the shutdown stopped, once every item it read is answered. */
  static StatusRuntimeException streamDrained() {
    return Status.UNAVAILABLE
        .withDescription(
            "server shutting down: every item it read was answered; send the rest to another"
                + " server")
        .asRuntimeException();
  }

  private static StatusRuntimeException badRequest(String field, String message) {
    BadRequest detail =
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(field).setDescription(message))
            .build();
    return rich(Code.INVALID_ARGUMENT, message, Any.pack(detail), new Metadata());
  }

  private static StatusRuntimeException rich(
      Code code, String message, Any detail, Metadata trailers) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(detail)
            .build();
    return StatusProto.toStatusRuntimeException(status, trailers);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
