package zeroshot.server.http;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/JSON port: every RPC of the API at the route its {@code google.api.http} option gives,
 * and the playground page at {@code /}. Requests are transcoded to the API's messages and called
 * through an in-process channel on the very {@link ServerServiceDefinition} the gRPC port serves,
 * interceptors included: the bearer token, admission, metrics and shutdown accounting are the gRPC
 * port's, not a second copy. HTTP/1.1 (keep-alive), over TLS when the server has a certificate.
 */
public final class HttpGateway implements AutoCloseable {
  /** How long closing the port waits for answers of finished calls to be written, in ms. */
  private static final long LAST_ANSWERS_MILLIS = 5_000;

  /** How long an idle keep-alive connection stays open, in seconds. */
  private static final int IDLE_SECONDS = 120;

  private final Server inProcess;
  private final ManagedChannel channel;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel listener;
  private final AtomicInteger exchanges;

  private HttpGateway(
      Server inProcess,
      ManagedChannel channel,
      EventLoopGroup boss,
      EventLoopGroup workers,
      Channel listener,
      AtomicInteger exchanges) {
    this.exchanges = exchanges;
    this.inProcess = inProcess;
    this.channel = channel;
    this.boss = boss;
    this.workers = workers;
    this.listener = listener;
  }

  /**
   * Starts the port.
   *
   * @param api the intercepted API, as the gRPC port serves it
   * @param service the API's generated descriptor: its {@code google.api.http} options give the
   *     routes, its marshallers the client side of the in-process calls
   * @param tls the TLS context, or null for plaintext
   * @param maxMessageBytes the gRPC port's max inbound message size; a body may be a third larger
   *     (base64) plus 64 KiB of JSON
   * @throws IOException if the port cannot be bound
   */
  public static HttpGateway start(
      String host,
      int port,
      ServerServiceDefinition api,
      ServiceDescriptor service,
      SslContext tls,
      int maxMessageBytes)
      throws IOException {
    requireNonNull(api, "api");
    String name = "zeroshot-http-" + UUID.randomUUID();
    // Direct executors, as on the gRPC port: handlers only validate and queue.
    Server inProcess =
        InProcessServerBuilder.forName(name).addService(api).directExecutor().build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    Routes routes = Routes.of(service);
    JsonTranscoder json = new JsonTranscoder();
    StaticFiles files = new StaticFiles();
    AtomicInteger exchanges = new AtomicInteger();
    long maxBodyBytes = (long) maxMessageBytes * 4 / 3 + 65_536;
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (tls != null) {
                      p.addLast(tls.newHandler(ch.alloc()));
                    }
                    p.addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
                    p.addLast(new IdleConnections());
                    p.addLast(new HttpServerCodec());
                    p.addLast(new HttpServerExpectContinueHandler());
                    p.addLast(new HttpServerKeepAliveHandler());
                    p.addLast(
                        new GatewayHandler(routes, json, files, channel, maxBodyBytes, exchanges));
                  }
                });
    ChannelFuture bound = bootstrap.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
    if (bound.isSuccess()) {
      return new HttpGateway(inProcess, channel, boss, workers, bound.channel(), exchanges);
    }
    channel.shutdownNow();
    inProcess.shutdownNow();
    boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    throw new IOException(
        "--http-port: "
            + host
            + ":"
            + port
            + " cannot be bound: "
            + bound.cause().getMessage()
            + " (expected: a free port this user may bind, or -1 for no HTTP port)",
        bound.cause());
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Refuses new calls (UNAVAILABLE, i.e. 503) from now on; calls already running go on. */
  public void shutdown() {
    inProcess.shutdown();
  }

  /**
   * Closes the port and, once the answers of finished calls are written (at most {@value
   * #LAST_ANSWERS_MILLIS} ms), every connection; calls still running then are cancelled.
   */
  @Override
  public void close() throws InterruptedException {
    listener.close().await(5, TimeUnit.SECONDS);
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LAST_ANSWERS_MILLIS);
    while (exchanges.get() > 0 && System.nanoTime() < until) {
      Thread.sleep(10); // answers are written on the event loops: nothing to wait on but them
    }
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    channel.shutdownNow();
    inProcess.shutdownNow();
  }
}
