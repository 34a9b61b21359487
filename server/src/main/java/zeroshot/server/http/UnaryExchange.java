package zeroshot.server.http;

import com.google.protobuf.Message;
import io.grpc.ClientCall;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelHandlerContext;

/**
 * One unary call over HTTP: the request goes to the in-process channel (so through the same
 * interceptors and service as a gRPC call); the answer is printed and written on the connection's
 * event loop, never on the model's threads, which only complete the call.
 */
final class UnaryExchange implements StreamObserver<Message> {
  private final ChannelHandlerContext ctx;
  private final boolean keepAlive;
  private final JsonTranscoder json;
  private final Runnable done;
  private final ClientCall<Message, Message> call;
  private Message response;

  /**
   * @param done run on the event loop once the answer is written, so the connection reads the next
   *     request
   */
  UnaryExchange(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      JsonTranscoder json,
      ClientCall<Message, Message> call,
      Runnable done) {
    this.ctx = ctx;
    this.keepAlive = keepAlive;
    this.json = json;
    this.call = call;
    this.done = done;
  }

  void start(Message request) {
    ClientCalls.asyncUnaryCall(call, request, this);
  }

  /** The client went away: the call is cancelled, so queued work never reaches the model. */
  void cancel() {
    call.cancel("HTTP client closed the connection", null);
  }

  @Override
  public void onNext(Message value) {
    response = value;
  }

  @Override
  public void onError(Throwable t) {
    ctx.executor()
        .execute(
            () -> {
              Responses.error(ctx, keepAlive, json, t);
              done.run();
            });
  }

  @Override
  public void onCompleted() {
    Message answer = response;
    ctx.executor()
        .execute(
            () -> {
              Responses.json(ctx, keepAlive, json.print(answer));
              done.run();
            });
  }
}
