package zeroshot.server.http;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;

/**
 * What an HTTP request's headers say about its call: the bearer token ({@code Authorization}),
 * passed on as gRPC's {@code authorization} metadata for the same check as gRPC calls, and the
 * deadline ({@code grpc-timeout}, gRPC's own syntax, as Envoy's transcoder passes it: e.g. {@code
 * 5S}, {@code 500m}).
 */
final class CallOptionsFromHeaders {
  static final String TIMEOUT_HEADER = "grpc-timeout";
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** gRPC's TimeoutValue: at most 8 digits, then the unit. */
  private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,8})([HMSmun])");

  private CallOptionsFromHeaders() {}

  /**
   * A call of {@code route} on {@code channel} with the headers' token and deadline.
   *
   * @throws InvalidFieldException if {@code grpc-timeout} is not in gRPC's syntax
   */
  static ClientCall<com.google.protobuf.Message, com.google.protobuf.Message> newCall(
      Channel channel, HttpRoute route, HttpHeaders headers) {
    CallOptions options = CallOptions.DEFAULT;
    String timeout = headers.get(TIMEOUT_HEADER);
    if (timeout != null) {
      options = options.withDeadlineAfter(timeoutNanos(timeout), TimeUnit.NANOSECONDS);
    }
    String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      Metadata metadata = new Metadata();
      metadata.put(AUTHORIZATION, authorization);
      channel =
          ClientInterceptors.intercept(
              channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    }
    return channel.newCall(route.method(), options);
  }

  static long timeoutNanos(String header) {
    Matcher m = TIMEOUT.matcher(header.trim());
    if (!m.matches()) {
      throw new InvalidFieldException(
          TIMEOUT_HEADER,
          Echo.value(header)
              + " (expected: up to 8 digits and a unit H, M, S, m, u or n, e.g. 5S or 500m)");
    }
    long value = Long.parseLong(m.group(1));
    TimeUnit unit =
        switch (m.group(2)) {
          case "H" -> TimeUnit.HOURS;
          case "M" -> TimeUnit.MINUTES;
          case "S" -> TimeUnit.SECONDS;
          case "m" -> TimeUnit.MILLISECONDS;
          case "u" -> TimeUnit.MICROSECONDS;
          default -> TimeUnit.NANOSECONDS;
        };
    return unit.toNanos(value);
  }
}
