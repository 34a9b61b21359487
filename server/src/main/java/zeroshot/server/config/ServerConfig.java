package zeroshot.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.model.DeviceSpec;
import zeroshot.server.model.image.PreprocessMode;

/**
 * Everything the server is started with, validated. Built from flags, environment and a config file
 * by {@link ServerCommand}; tests build it with {@link #builder()} or {@link #toBuilder()} rather
 * than the long constructor.
 *
 * @param host the address the gRPC port binds to
 * @param port the gRPC port (0: any free port)
 * @param modelDirs model directories; the first is the default model
 * @param device where models run
 * @param preprocessThreads threads that decode and preprocess images (0: one per core)
 * @param maxQueuedRequests requests waiting for a preprocessing thread before RESOURCE_EXHAUSTED;
 *     with the threads, also the most calls asking for model work in flight
 * @param limits per-request limits
 * @param shutdownGrace how long in-flight calls may take to finish on shutdown
 * @param modelSettings {@link ModelOption}s set for every model (unset: the device's defaults)
 * @param perModel {@link ModelOption}s set for one model, by model name; they beat {@code
 *     modelSettings}
 * @param labels the label-embedding cache and label sets
 * @param metricsPort the HTTP port of {@code /metrics} (0: any free port, -1: metrics off)
 * @param maxConnectionAge how long a client connection lives before the server asks the client to
 *     reconnect (GOAWAY), so that clients resolve the service again and new replicas get traffic
 * @param maxConnectionAgeGrace how long calls still open on such a connection may take to finish
 *     before it is closed
 * @param security TLS, client certificates, the bearer token and the plaintext health port
 * @param metricsHost the address {@code /metrics} binds; null: {@code host}. Lets the metrics stay
 *     on loopback or a pod address while gRPC is public
 * @param httpPort the HTTP/JSON port (every RPC in JSON, and the playground page), on {@code host}
 *     with the gRPC port's TLS and token (0: any free port, -1: none)
 */
public record ServerConfig(
    String host,
    int port,
    List<Path> modelDirs,
    DeviceSpec device,
    int preprocessThreads,
    int maxQueuedRequests,
    Limits limits,
    Duration shutdownGrace,
    ModelSettings modelSettings,
    Map<String, ModelSettings> perModel,
    LabelSettings labels,
    int metricsPort,
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace,
    SecuritySettings security,
    String metricsHost,
    int httpPort) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 50051;
  public static final Path DEFAULT_MODEL_DIR = Path.of("models/tiny-clip");
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 256;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final int DEFAULT_METRICS_PORT = 9464;
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(5);
  public static final Duration DEFAULT_MAX_CONNECTION_AGE_GRACE = Duration.ofSeconds(30);

  public ServerConfig {
    requireNonNull(host, "host");
    requireNonNull(device, "device");
    requireNonNull(limits, "limits");
    requireNonNull(shutdownGrace, "shutdownGrace");
    requireNonNull(modelSettings, "modelSettings");
    requireNonNull(labels, "labels");
    requireNonNull(maxConnectionAge, "maxConnectionAge");
    requireNonNull(maxConnectionAgeGrace, "maxConnectionAgeGrace");
    requireNonNull(security, "security");
    modelDirs = List.copyOf(modelDirs);
    perModel = Map.copyOf(perModel);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    if (metricsPort < -1 || metricsPort > 65_535) {
      throw new IllegalArgumentException(
          "metricsPort: " + metricsPort + " (expected: 0..65535, or -1 for none)");
    }
    if (httpPort < -1 || httpPort > 65_535) {
      throw new IllegalArgumentException(
          "httpPort: " + httpPort + " (expected: 0..65535, or -1 for none)");
    }
    if (modelDirs.isEmpty()) {
      throw new IllegalArgumentException("modelDirs: none (expected: at least one model dir)");
    }
    if (preprocessThreads < 0) {
      throw new IllegalArgumentException(
          "preprocessThreads: " + preprocessThreads + " (expected: >= 0, 0 for automatic)");
    }
    if (maxQueuedRequests < 0) {
      throw new IllegalArgumentException(
          "maxQueuedRequests: " + maxQueuedRequests + " (expected: >= 0)");
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace: " + shutdownGrace + " (expected: >= 0)");
    }
    if (maxConnectionAge.isNegative() || maxConnectionAge.isZero()) {
      throw new IllegalArgumentException(
          "maxConnectionAge: " + maxConnectionAge + " (expected: > 0)");
    }
    if (maxConnectionAgeGrace.isNegative()) {
      throw new IllegalArgumentException(
          "maxConnectionAgeGrace: " + maxConnectionAgeGrace + " (expected: >= 0)");
    }
  }

  /** The address {@code /metrics} binds: {@code --metrics-host}, else the gRPC {@code host}. */
  @Override
  public String metricsHost() {
    return metricsHost == null ? host : metricsHost;
  }

  /** A builder holding every default of the command line; set what differs, then build. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to build one that differs in a few values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.modelDirs = modelDirs;
    b.device = device;
    b.preprocessThreads = preprocessThreads;
    b.maxQueuedRequests = maxQueuedRequests;
    b.limits = limits;
    b.shutdownGrace = shutdownGrace;
    b.modelSettings = modelSettings;
    b.perModel = perModel;
    b.labels = labels;
    b.metricsPort = metricsPort;
    b.maxConnectionAge = maxConnectionAge;
    b.maxConnectionAgeGrace = maxConnectionAgeGrace;
    b.security = security;
    // The field, not the accessor: unset stays unset, so /metrics follows a host set later.
    b.metricsHost = metricsHost;
    b.httpPort = httpPort;
    return b;
  }

  /**
   * Builds a {@link ServerConfig} one value at a time; {@link #build()} validates. A new option is
   * a component, a field with its default and a setter here: no call site changes.
   */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private List<Path> modelDirs = List.of(DEFAULT_MODEL_DIR);
    private DeviceSpec device = DeviceSpec.parse("auto");
    private int preprocessThreads;
    private int maxQueuedRequests = DEFAULT_MAX_QUEUED_REQUESTS;
    private Limits limits = Limits.defaults();
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private ModelSettings modelSettings = ModelSettings.NONE;
    private Map<String, ModelSettings> perModel = Map.of();
    private LabelSettings labels = LabelSettings.defaults(Limits.DEFAULT_MAX_LABEL_CHARS);
    private int metricsPort = DEFAULT_METRICS_PORT;
    private Duration maxConnectionAge = DEFAULT_MAX_CONNECTION_AGE;
    private Duration maxConnectionAgeGrace = DEFAULT_MAX_CONNECTION_AGE_GRACE;
    private SecuritySettings security = SecuritySettings.NONE;
    private String metricsHost;
    private int httpPort = DEFAULT_HTTP_PORT;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder modelDirs(List<Path> modelDirs) {
      this.modelDirs = modelDirs;
      return this;
    }

    public Builder device(DeviceSpec device) {
      this.device = device;
      return this;
    }

    public Builder preprocessThreads(int preprocessThreads) {
      this.preprocessThreads = preprocessThreads;
      return this;
    }

    public Builder maxQueuedRequests(int maxQueuedRequests) {
      this.maxQueuedRequests = maxQueuedRequests;
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = shutdownGrace;
      return this;
    }

    public Builder modelSettings(ModelSettings modelSettings) {
      this.modelSettings = modelSettings;
      return this;
    }

    /** Sets {@code option} for every model, keeping the other model settings. */
    public <T> Builder modelOption(ModelOption<T> option, T value) {
      this.modelSettings = modelSettings.with(option, value);
      return this;
    }

    public Builder perModel(Map<String, ModelSettings> perModel) {
      this.perModel = perModel;
      return this;
    }

    public Builder labels(LabelSettings labels) {
      this.labels = labels;
      return this;
    }

    public Builder metricsPort(int metricsPort) {
      this.metricsPort = metricsPort;
      return this;
    }

    public Builder maxConnectionAge(Duration maxConnectionAge) {
      this.maxConnectionAge = maxConnectionAge;
      return this;
    }

    public Builder maxConnectionAgeGrace(Duration maxConnectionAgeGrace) {
      this.maxConnectionAgeGrace = maxConnectionAgeGrace;
      return this;
    }

    public Builder security(SecuritySettings security) {
      this.security = security;
      return this;
    }

    /** The address {@code /metrics} binds; null: the gRPC {@code host}. */
    public Builder metricsHost(String metricsHost) {
      this.metricsHost = metricsHost;
      return this;
    }

    public Builder httpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          modelDirs,
          device,
          preprocessThreads,
          maxQueuedRequests,
          limits,
          shutdownGrace,
          modelSettings,
          perModel,
          labels,
          metricsPort,
          maxConnectionAge,
          maxConnectionAgeGrace,
          security,
          metricsHost,
          httpPort);
    }
  }

  /**
   * The preprocessing mode set for every model, replacing each {@code model.json}'s {@code
   * image.preprocess_mode}; empty: each model's own (default exact).
   */
  public Optional<PreprocessMode> preprocessMode() {
    return modelSettings.get(ModelOption.PREPROCESS_MODE);
  }

  /**
   * The preprocessing mode of {@code model}: its own entry ({@code model.NAME.preprocess-mode}),
   * else the one for every model; empty: its {@code model.json} decides.
   */
  public Optional<PreprocessMode> preprocessModeFor(String model) {
    return settingsFor(model).get(ModelOption.PREPROCESS_MODE);
  }

  /** The batching policy of {@code model}: its overrides, then the server's, then the device's. */
  public BatchingPolicy batchingFor(String model, boolean gpu, int cores) {
    ModelSettings s = settingsFor(model);
    return BatchingPolicy.of(
            s.resolve(ModelOption.MAX_BATCH_SIZE, gpu, cores),
            s.resolve(ModelOption.MAX_QUEUE_DELAY, gpu, cores))
        .withPreferredBatchSizes(s.resolve(ModelOption.PREFERRED_BATCH_SIZES, gpu, cores))
        .withWorkers(s.resolve(ModelOption.BATCH_WORKERS, gpu, cores))
        .withBatchWait(s.resolve(ModelOption.BATCH_WAIT, gpu, cores));
  }

  /**
   * How many items may wait in each of {@code model}'s batchers, resolved as {@link #batchingFor}.
   */
  public QueuePolicy queueFor(String model, boolean gpu, int cores) {
    return new QueuePolicy(settingsFor(model).resolve(ModelOption.MAX_QUEUE_ITEMS, gpu, cores));
  }

  private ModelSettings settingsFor(String model) {
    return modelSettings.overriddenBy(perModel.getOrDefault(model, ModelSettings.NONE));
  }
}
