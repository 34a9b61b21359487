package zeroshot.server.http;

import com.google.protobuf.Message;
import io.grpc.ClientCall;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import zeroshot.server.messages.InvalidFieldException;

/**
 * ClassifyStream over HTTP as newline-delimited JSON, as grpc-gateway streams: each body line is a
 * ClassifyStreamRequest, read as it arrives; each answer is a line {@code {"result": ...}} written
 * as soon as the server has it, and a stream that ends with an error ends with a line {@code
 * {"error": <google.rpc.Status>}}. gRPC's flow control reaches the client: while the call takes no
 * more items the connection stops reading, so TCP holds the client back. A stream refused before
 * any answer (no token, server at capacity) is an ordinary HTTP error instead.
 */
final class StreamExchange implements ClientResponseObserver<Message, Message> {
  static final String NDJSON = "application/x-ndjson; charset=utf-8";

  private final ChannelHandlerContext ctx;
  private final HttpRoute route;
  private final JsonTranscoder json;
  private final boolean keepAlive;
  private final Runnable done;
  private final ClientCall<Message, Message> call;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final long maxLineBytes;
  private ClientCallStreamObserver<Message> requests;
  private int lineNumber;
  private boolean failed; // a bad line cancelled the call: the rest of the body is ignored
  private boolean headersSent; // event loop only

  StreamExchange(
      ChannelHandlerContext ctx,
      HttpRoute route,
      JsonTranscoder json,
      boolean keepAlive,
      ClientCall<Message, Message> call,
      long maxLineBytes,
      Runnable done) {
    this.ctx = ctx;
    this.route = route;
    this.json = json;
    this.keepAlive = keepAlive;
    this.call = call;
    this.maxLineBytes = maxLineBytes;
    this.done = done;
  }

  void start() {
    ClientCalls.asyncBidiStreamingCall(call, this);
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Message> requestStream) {
    this.requests = requestStream;
    requestStream.setOnReadyHandler(
        () -> ctx.executor().execute(() -> ctx.channel().config().setAutoRead(true)));
  }

  /** Sends every complete line of {@code chunk}; the last chunk also ends the request stream. */
  void body(ByteBuf chunk, boolean last) {
    while (!failed && chunk.isReadable()) {
      byte b = chunk.readByte();
      if (b == '\n') {
        send();
      } else if (line.size() >= maxLineBytes) {
        fail(new InvalidFieldException(lineName(), "longer than " + maxLineBytes + " bytes"));
      } else {
        line.write(b);
      }
    }
    if (failed) {
      return;
    }
    if (last) {
      send();
      requests.onCompleted();
    } else if (!requests.isReady()) {
      ctx.channel().config().setAutoRead(false); // the on-ready handler turns it back on
    }
  }

  private void send() {
    lineNumber++;
    String text = line.toString(StandardCharsets.UTF_8).strip();
    line.reset();
    if (text.isEmpty()) {
      return;
    }
    try {
      requests.onNext(json.message(route, text, lineName()));
    } catch (InvalidFieldException e) {
      fail(e);
    }
  }

  private String lineName() {
    return "line " + (lineNumber == 0 ? 1 : lineNumber);
  }

  private void fail(RuntimeException e) {
    failed = true;
    requests.onError(e); // cancels the call; onError below answers with e's status
    ctx.channel().config().setAutoRead(true); // read (and drop) the rest of the body
  }

  void cancel() {
    call.cancel("HTTP client closed the connection", null);
  }

  @Override
  public void onNext(Message answer) {
    String text = "{\"result\":" + json.print(answer) + "}\n";
    ctx.executor().execute(() -> chunk(text, false));
  }

  @Override
  public void onError(Throwable t) {
    Throwable cause = failed && t.getCause() != null ? t.getCause() : t;
    ctx.executor()
        .execute(
            () -> {
              if (headersSent) {
                chunk("{\"error\":" + json.print(HttpErrors.of(cause).body()) + "}\n", true);
              } else {
                Responses.error(ctx, keepAlive && !failed, json, cause);
                done.run();
              }
            });
  }

  @Override
  public void onCompleted() {
    ctx.executor().execute(() -> chunk("", true));
  }

  private void chunk(String text, boolean last) {
    if (!headersSent) {
      HttpResponse headers = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      headers.headers().set(HttpHeaderNames.CONTENT_TYPE, NDJSON);
      HttpUtil.setTransferEncodingChunked(headers, true);
      HttpUtil.setKeepAlive(headers, keepAlive && !failed);
      ctx.write(headers);
      headersSent = true;
    }
    if (!text.isEmpty()) {
      ctx.write(new DefaultHttpContent(Responses.utf8(text)));
    }
    if (last) {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      if (!keepAlive || failed) {
        ctx.close();
      }
      done.run();
    } else {
      ctx.flush();
    }
  }
}
