package zeroshot.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writes whole responses: JSON answers, errors as google.rpc.Status JSON, and static files. */
final class Responses {
  static final String JSON = "application/json; charset=utf-8";

  private Responses() {}

  /** A 200 with {@code json}, and a newline so that a shell prompt starts on a line of its own. */
  static void json(ChannelHandlerContext ctx, boolean keepAlive, String json) {
    write(ctx, keepAlive, full(HttpResponseStatus.OK, JSON, utf8(json + "\n")));
  }

  /** The answer to a failed call (see {@link HttpErrors}). */
  static void error(
      ChannelHandlerContext ctx, boolean keepAlive, JsonTranscoder json, Throwable failure) {
    write(ctx, keepAlive, error(json, failure));
  }

  /** The answer to a failed call, not yet written. */
  static FullHttpResponse error(JsonTranscoder json, Throwable failure) {
    HttpErrors error = HttpErrors.of(failure);
    FullHttpResponse response = full(error.status(), JSON, utf8(json.print(error.body()) + "\n"));
    if (error.retryAfterSeconds() > 0) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, error.retryAfterSeconds());
    }
    if (failure instanceof RouteErrors.Refusal refusal && refusal.allow != null) {
      response.headers().set(HttpHeaderNames.ALLOW, refusal.allow);
    }
    if (error.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    }
    return response;
  }

  static FullHttpResponse full(HttpResponseStatus status, String contentType, ByteBuf content) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set("X-Content-Type-Options", "nosniff");
    HttpUtil.setContentLength(response, content.readableBytes());
    return response;
  }

  /** Writes {@code response}, keeping the connection open when the client asked for it. */
  static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
    if (keepAlive) {
      HttpUtil.setKeepAlive(response, true);
      ctx.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  static ByteBuf utf8(String text) {
    return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
  }
}
