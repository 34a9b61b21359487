package zeroshot.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the server is started with, validated. Built from flags, environment and a config file
 * by {@link ServerCommand}; tests build it directly.
 *
 * @param host the address the gRPC port binds to
 * @param port the gRPC port (0: any free port)
 * @param modelDirs model directories; the first is the default model
 * @param device where models run
 * @param inferenceThreads threads that run requests on the models (0: one per core on the CPU, two
 *     per GPU)
 * @param maxQueuedRequests requests accepted beyond those running before RESOURCE_EXHAUSTED
 * @param limits per-request limits
 * @param shutdownGrace how long in-flight calls may take to finish on shutdown
 */
public record ServerConfig(
    String host,
    int port,
    List<Path> modelDirs,
    DeviceSpec device,
    int inferenceThreads,
    int maxQueuedRequests,
    Limits limits,
    Duration shutdownGrace) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 50051;
  public static final Path DEFAULT_MODEL_DIR = Path.of("models/tiny-clip");
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 256;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  public ServerConfig {
    requireNonNull(host, "host");
    requireNonNull(device, "device");
    requireNonNull(limits, "limits");
    requireNonNull(shutdownGrace, "shutdownGrace");
    modelDirs = List.copyOf(modelDirs);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (modelDirs.isEmpty()) {
      throw new IllegalArgumentException("modelDirs: none (expected: at least one model dir)");
    }
    if (inferenceThreads < 0) {
      throw new IllegalArgumentException(
          "inferenceThreads: " + inferenceThreads + " (expected: >= 0, 0 for automatic)");
    }
    if (maxQueuedRequests < 0) {
      throw new IllegalArgumentException(
          "maxQueuedRequests: " + maxQueuedRequests + " (expected: >= 0)");
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace: " + shutdownGrace + " (expected: >= 0)");
    }
  }

  /** The defaults, with the given model directories (tests and embedding). */
  public static ServerConfig defaults(List<Path> modelDirs) {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        modelDirs,
        DeviceSpec.parse("auto"),
        0,
        DEFAULT_MAX_QUEUED_REQUESTS,
        Limits.defaults(),
        DEFAULT_SHUTDOWN_GRACE);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        host,
        newPort,
        modelDirs,
        device,
        inferenceThreads,
        maxQueuedRequests,
        limits,
        shutdownGrace);
  }
}
