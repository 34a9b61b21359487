package zeroshot.server.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import zeroshot.server.ZeroShotServer;
import zeroshot.server.config.LabelSettings;
import zeroshot.server.config.Limits;
import zeroshot.server.config.ModelSettings;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.DeviceSpec;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ModelLoader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ModelRuntime;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.model.torchscript.TorchScriptRuntime;
import zeroshot.v1.ZeroShotServiceGrpc;

/** A real server on a loopback port with a channel to it, for end-to-end tests. */
public final class RunningServer implements AutoCloseable {
  public final ZeroShotServer server;
  public final ManagedChannel channel;

  private RunningServer(ZeroShotServer server) {
    this.server = server;
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build();
  }

  /** A config on 127.0.0.1, any free port, CPU, with the given pool and limits. */
  public static ServerConfig config(
      List<Path> models, int threads, int maxQueued, Limits limits, Duration grace) {
    return config(models, threads, maxQueued, limits, grace, ModelSettings.NONE);
  }

  /** As above, with batching settings for every model. */
  public static ServerConfig config(
      List<Path> models,
      int threads,
      int maxQueued,
      Limits limits,
      Duration grace,
      ModelSettings batching) {
    return config(models, threads, maxQueued, limits, grace, batching, LabelSettings.defaults(256));
  }

  /** As above, with label settings. */
  public static ServerConfig config(
      List<Path> models,
      int threads,
      int maxQueued,
      Limits limits,
      Duration grace,
      ModelSettings batching,
      LabelSettings labels) {
    return ServerConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .modelDirs(models)
        .device(DeviceSpec.parse("cpu"))
        .preprocessThreads(threads)
        .maxQueuedRequests(maxQueued)
        .limits(limits)
        .shutdownGrace(grace)
        .modelSettings(batching)
        .labels(labels)
        .metricsPort(0)
        .httpPort(0)
        .build();
  }

  /** The same configuration with metrics off (not measured, not served). */
  public static ServerConfig withoutMetrics(ServerConfig c) {
    return c.toBuilder().metricsPort(-1).build();
  }

  /** Starts listening; models are not loaded yet (health NOT_SERVING). */
  public static RunningServer started(ServerConfig config, ModelLoader loader) throws Exception {
    ZeroShotServer server = new ZeroShotServer(config, runtime(loader));
    server.start();
    return new RunningServer(server);
  }

  /** A ready server on a fake model (1 thread, 8 queued, 1 s grace) with these settings. */
  public static RunningServer readyWithFake(SecuritySettings security) throws Exception {
    ServerConfig config =
        config(List.of(TestModels.tinyClip()), 1, 8, Limits.defaults(), Duration.ofSeconds(1))
            .toBuilder()
            .security(security)
            .build();
    return ready(config, (manifest, device) -> new FakeEmbeddingModel(manifest));
  }

  /** A ready server on the real bundled model (2 threads, 64 queued, default limits, 5 s grace). */
  public static RunningServer readyOnTinyClip() throws Exception {
    return ready(
        config(List.of(TestModels.tinyClip()), 2, 64, Limits.defaults(), Duration.ofSeconds(5)),
        TorchScriptClipModel::load);
  }

  /** Starts and loads every model. */
  public static RunningServer ready(ServerConfig config, ModelLoader loader) throws Exception {
    RunningServer running = started(config, loader);
    running.server.loadModels();
    return running;
  }

  /** The TorchScript runtime's devices, with {@code loader}'s models (a fake, or the real ones). */
  public static ModelRuntime runtime(ModelLoader loader) {
    TorchScriptRuntime torchScript = new TorchScriptRuntime();
    return new ModelRuntime() {
      @Override
      public List<ComputeDevice> devices(DeviceSpec spec) {
        return torchScript.devices(spec);
      }

      @Override
      public EmbeddingModel load(ModelManifest manifest, ComputeDevice device)
          throws InvalidModelException {
        return loader.load(manifest, device);
      }

      @Override
      public long memoryUsedBytes(ComputeDevice gpu) {
        return torchScript.memoryUsedBytes(gpu);
      }
    };
  }

  public ZeroShotServiceGrpc.ZeroShotServiceBlockingStub blocking() {
    return ZeroShotServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  public ZeroShotServiceGrpc.ZeroShotServiceFutureStub future() {
    return ZeroShotServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdown();
  }
}
