package zeroshot.client;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A server on the in-process transport and a channel to it, both closed together. */
public final class InProcessServer implements AutoCloseable {

  private final Server server;
  private final ManagedChannel channel;
  private final ExecutorService executor; // null: callbacks run on the transport's thread

  /** Runs every callback on the thread that triggers it (direct executors). */
  public InProcessServer(BindableService service) {
    this(service, null);
  }

  private InProcessServer(BindableService service, ExecutorService executor) {
    this.executor = executor;
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder serverBuilder = InProcessServerBuilder.forName(name);
    InProcessChannelBuilder channelBuilder = InProcessChannelBuilder.forName(name);
    if (executor == null) {
      serverBuilder.directExecutor();
      channelBuilder.directExecutor();
    } else {
      serverBuilder.executor(executor);
      channelBuilder.executor(executor);
    }
    try {
      server = serverBuilder.addService(service).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = channelBuilder.build();
  }

  /**
   * Runs the callbacks of client and server on a thread pool, as a real channel does: needed where
   * a test drives a stream from its own thread while the other side answers.
   */
  public static InProcessServer withThreads(BindableService service) {
    return new InProcessServer(service, Executors.newCachedThreadPool());
  }

  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.awaitTermination(5, TimeUnit.SECONDS);
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
