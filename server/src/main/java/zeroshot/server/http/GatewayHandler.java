package zeroshot.server.http;

import com.google.protobuf.Message;
import io.grpc.Channel;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.messages.InvalidFieldException;

/**
 * One HTTP/1.1 connection of the HTTP/JSON port: routes each request to its RPC, collects a unary
 * call's body (up to the size limit), streams ClassifyStream's, and answers one request at a time.
 * A client that closes the connection cancels its call.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

  private final Routes routes;
  private final JsonTranscoder json;
  private final StaticFiles files;
  private final Channel calls;
  private final long maxBodyBytes;

  /** How long a refused request's body is read and dropped at most before the connection closes. */
  static final long LINGER_SECONDS = 10;

  private HttpRequest request; // the request being read, null between requests
  private Routes.Match match;
  private Map<String, List<String>> query; // of the request being read
  private CompositeByteBuf body;
  private boolean discarding; // answered already (404, 413, ...): drop the rest of the body
  private ChannelFuture closeAtBodyEnd; // a 413's answer: close once it and the body are through
  private final AtomicInteger exchanges; // calls running or answering, on every connection
  private boolean busy; // a call is running; a pipelined request is refused
  private UnaryExchange unary;
  private StreamExchange stream;

  GatewayHandler(
      Routes routes,
      JsonTranscoder json,
      StaticFiles files,
      Channel calls,
      long maxBodyBytes,
      AtomicInteger exchanges) {
    this.exchanges = exchanges;
    this.routes = routes;
    this.json = json;
    this.files = files;
    this.calls = calls;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest head) {
        begin(ctx, head);
      }
      if (msg instanceof HttpContent content && request != null) {
        content(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void begin(ChannelHandlerContext ctx, HttpRequest head) {
    if (busy) {
      log.debug("pipelined HTTP request on {}: closing the connection", ctx.channel());
      ctx.close(); // answers go in request order; this port answers one request at a time
      return;
    }
    request = head;
    discarding = false;
    boolean keepAlive = HttpUtil.isKeepAlive(head);
    if (head.decoderResult().isFailure()) {
      refuse(
          ctx,
          false,
          new InvalidFieldException("request", "not HTTP/1.1: " + head.decoderResult().cause()));
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(head.uri());
    if (head.method().equals(HttpMethod.GET)) {
      Optional<FullHttpResponse> file = files.get(uri.path());
      if (file.isPresent()) {
        Responses.write(ctx, keepAlive, file.get());
        discarding = true;
        return;
      }
    }
    List<String> path = segments(uri.rawPath());
    Optional<Routes.Match> found = routes.find(head.method(), path);
    if (found.isEmpty()) {
      refuse(ctx, keepAlive, RouteErrors.noRoute(routes, head.method(), uri.path(), path));
      return;
    }
    match = found.get();
    query = uri.parameters();
    long length = HttpUtil.getContentLength(head, -1L);
    if (length > maxBodyBytes && !match.route().streaming()) {
      refuseUnreadBody(ctx, RouteErrors.tooLarge(length, maxBodyBytes));
      return;
    }
    if (match.route().streaming()) {
      try {
        busy(true);
        stream =
            new StreamExchange(
                ctx,
                match.route(),
                json,
                keepAlive,
                CallOptionsFromHeaders.newCall(calls, match.route(), head.headers()),
                maxBodyBytes,
                () -> finish(ctx));
        stream.start();
      } catch (RuntimeException e) {
        busy(false);
        refuse(ctx, false, e);
      }
    } else {
      body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    }
  }

  private void content(ChannelHandlerContext ctx, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (!discarding && stream != null) {
      stream.body(content.content(), last);
    } else if (!discarding) {
      if (body.readableBytes() + content.content().readableBytes() > maxBodyBytes) {
        releaseBody();
        refuseUnreadBody(ctx, RouteErrors.tooLarge(-1, maxBodyBytes));
      } else {
        body.addComponent(true, content.content().retain());
        if (last) {
          call(ctx);
        }
      }
    }
    if (last) {
      request = null;
      if (closeAtBodyEnd != null) {
        closeAtBodyEnd.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private void call(ChannelHandlerContext ctx) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpRoute route = match.route();
    FullHttpRequest full =
        new DefaultFullHttpRequest(
            request.protocolVersion(),
            request.method(),
            request.uri(),
            body,
            request.headers(),
            EmptyHttpHeaders.INSTANCE);
    body = null;
    try {
      Message message =
          MultipartForms.isMultipart(full)
              ? MultipartForms.request(route, full, json)
              : json.request(
                  route, match.variables(), query, full.content().toString(StandardCharsets.UTF_8));
      busy(true);
      unary =
          new UnaryExchange(
              ctx,
              keepAlive,
              json,
              CallOptionsFromHeaders.newCall(calls, route, request.headers()),
              () -> finish(ctx));
      unary.start(message);
    } catch (RuntimeException e) {
      busy(false);
      Responses.error(ctx, keepAlive, json, e);
    } finally {
      full.release();
    }
  }

  /** Counts the exchange in or out, so that closing the port can wait for its answer. */
  private void busy(boolean now) {
    if (now != busy) {
      busy = now;
      exchanges.addAndGet(now ? 1 : -1);
    }
  }

  private void finish(ChannelHandlerContext ctx) {
    busy(false);
    unary = null;
    stream = null;
    ctx.channel().config().setAutoRead(true);
  }

  private void refuse(ChannelHandlerContext ctx, boolean keepAlive, RuntimeException e) {
    discarding = true;
    Responses.error(ctx, keepAlive, json, e);
  }

  /**
   * Refuses a request whose body will not be read (413) with "Connection: close", drops the rest of
   * the body as it comes and closes when it has come, or after {@link #LINGER_SECONDS}: closing
   * while the client is still sending would reset the connection, and the client could lose the
   * answer before reading it.
   */
  private void refuseUnreadBody(ChannelHandlerContext ctx, RuntimeException e) {
    discarding = true;
    FullHttpResponse response = Responses.error(json, e);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    closeAtBodyEnd = ctx.writeAndFlush(response);
    ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseBody();
    if (unary != null) {
      unary.cancel();
    }
    if (stream != null) {
      stream.cancel();
    }
    busy(false);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and TLS handshakes that fail are the client's business; log them quietly.
    log.debug("HTTP connection {} failed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  /** The path's segments, percent-decoded: "/v1/labelsets/a%2Fb" is [v1, labelsets, a/b]. */
  private static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    for (String part : path.substring(path.startsWith("/") ? 1 : 0).split("/", -1)) {
      segments.add(QueryStringDecoder.decodeComponent(part));
    }
    return segments;
  }
}
