package zeroshot.server.http;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.netty.handler.codec.http.HttpResponseStatus;
import zeroshot.server.api.StatusMapper;

/**
 * How a failed call is answered over HTTP: the gRPC status code mapped to the HTTP status (as
 * grpc-gateway and Envoy's transcoder map it), the google.rpc.Status as the JSON body with its
 * details (a BadRequest's field violations, a RetryInfo), and the headers that HTTP clients act on:
 * {@code Retry-After} on 429 and on a 503 that carries a RetryInfo, {@code WWW-Authenticate} on
 * 401.
 *
 * @param status the HTTP status
 * @param body the google.rpc.Status
 * @param retryAfterSeconds the Retry-After value in whole seconds; 0: none
 */
record HttpErrors(HttpResponseStatus status, com.google.rpc.Status body, long retryAfterSeconds) {

  /** The answer to {@code failure}: a status from the service, or an exception of this server. */
  static HttpErrors of(Throwable failure) {
    if (failure instanceof RouteErrors.Refusal refusal) {
      return new HttpErrors(refusal.status, refusal.body, 0);
    }
    StatusRuntimeException grpc = StatusMapper.toStatus(failure);
    com.google.rpc.Status body = StatusProto.fromThrowable(grpc);
    if (body == null) {
      Status status = grpc.getStatus();
      body =
          com.google.rpc.Status.newBuilder()
              .setCode(status.getCode().value())
              .setMessage(status.getDescription() == null ? "" : status.getDescription())
              .build();
    }
    Status.Code code = Status.fromCodeValue(body.getCode()).getCode();
    return new HttpErrors(httpStatus(code), body, retryAfterSeconds(code, body));
  }

  /** The HTTP status of a gRPC code (google.rpc.Code's documented HTTP mapping). */
  static HttpResponseStatus httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> HttpResponseStatus.OK;
      case CANCELLED -> HttpResponseStatus.valueOf(499, "Client Closed Request");
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpResponseStatus.BAD_REQUEST;
      case DEADLINE_EXCEEDED -> HttpResponseStatus.GATEWAY_TIMEOUT;
      case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
      case ALREADY_EXISTS, ABORTED -> HttpResponseStatus.CONFLICT;
      case PERMISSION_DENIED -> HttpResponseStatus.FORBIDDEN;
      case UNAUTHENTICATED -> HttpResponseStatus.UNAUTHORIZED;
      case RESOURCE_EXHAUSTED -> HttpResponseStatus.TOO_MANY_REQUESTS;
      case UNIMPLEMENTED -> HttpResponseStatus.NOT_IMPLEMENTED;
      case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
      case UNKNOWN, INTERNAL, DATA_LOSS -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
    };
  }

  /**
   * Whole seconds to wait, rounded up from the RetryInfo's delay (HTTP has no finer unit); 1 for a
   * 429 without one; 0 (no header) otherwise.
   */
  private static long retryAfterSeconds(Status.Code code, com.google.rpc.Status body) {
    for (Any detail : body.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
          long seconds = delay.getSeconds() + (delay.getNanos() > 0 ? 1 : 0);
          return Math.max(1, seconds);
        } catch (InvalidProtocolBufferException e) {
          break; // a detail that says RetryInfo but is not one: fall back to the default
        }
      }
    }
    return code == Status.Code.RESOURCE_EXHAUSTED ? 1 : 0;
  }
}
