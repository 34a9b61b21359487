package zeroshot.server;

import static java.util.Objects.requireNonNull;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.api.AdmissionLimit;
import zeroshot.server.api.InFlightCalls;
import zeroshot.server.api.UnreadableMessageLog;
import zeroshot.server.api.ZeroShotGrpcService;
import zeroshot.server.batching.BatchObserver;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.TimeSource;
import zeroshot.server.config.NearestKey;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.inference.PreprocessExecutor;
import zeroshot.server.inference.StageTimer;
import zeroshot.server.inference.ZeroShotEngine;
import zeroshot.server.labels.LabelEmbeddingCache;
import zeroshot.server.labels.LabelSetDefinition;
import zeroshot.server.labels.LabelSetFiles;
import zeroshot.server.labels.LabelSetStore;
import zeroshot.server.metrics.BatchMetrics;
import zeroshot.server.metrics.GrpcMetricsInterceptor;
import zeroshot.server.metrics.MetricsHttpServer;
import zeroshot.server.metrics.ServerMetrics;
import zeroshot.server.metrics.ServingMetrics;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.DeviceSpec;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.ModelRuntime;
import zeroshot.server.model.ReplicatedModel;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.PreprocessMode;
import zeroshot.server.model.image.ScaledJpegDecoder;
import zeroshot.server.security.BearerTokenAuth;
import zeroshot.server.security.ServerTls;
import zeroshot.v1.ZeroShotServiceGrpc;

/**
 * The server's lifecycle: {@link #start()} validates every manifest and opens the port with health
 * NOT_SERVING; {@link #loadModels()} loads and warms every model, then turns health to SERVING;
 * {@link #shutdown()} turns it back, lets in-flight calls finish within the grace period, and
 * releases the models. The whole object graph is built here, by hand.
 */
public final class ZeroShotServer {
  /** The health service name of the API, as clients and Kubernetes probes ask for it. */
  public static final String SERVICE_NAME = ZeroShotServiceGrpc.SERVICE_NAME;

  private static final Logger log = LoggerFactory.getLogger(ZeroShotServer.class);

  /** How long shutdown lets connections send their last answers once every call is done. */
  private static final long LAST_BYTES_MILLIS = 1_000;

  private final ServerConfig config;
  private final ModelRuntime runtime;
  private final HealthStatusManager health = new HealthStatusManager();
  private ModelRegistry models;
  private List<ComputeDevice> devices;
  private PreprocessExecutor executor;
  private LabelSetStore labelSets;
  private LabelSetFiles labelSetFiles;
  private final ServerMetrics metrics = new ServerMetrics();
  private final InFlightCalls calls = new InFlightCalls();
  private MetricsHttpServer metricsHttp;
  private ZeroShotGrpcService service;
  private UnreadableMessageLog unreadableMessages;
  private Server server;
  private Server healthServer; // null unless --health-port

  public ZeroShotServer(ServerConfig config, ModelRuntime runtime) {
    this.config = requireNonNull(config, "config");
    this.runtime = requireNonNull(runtime, "runtime");
  }

  /** Reads every manifest (failing on the first problem) and starts listening. */
  public void start() throws IOException, InvalidModelException {
    List<ModelManifest> manifests = new ArrayList<>();
    for (Path dir : config.modelDirs()) {
      ModelManifest manifest = ManifestReader.read(dir);
      manifests.add(config.preprocessMode().map(manifest::withPreprocessMode).orElse(manifest));
    }
    models = new ModelRegistry(manifests);
    checkPerModelNames(manifests);
    // Certificates and the token are read before anything runs, so a bad file stops the start
    // with nothing to clean up.
    SecuritySettings security = config.security();
    ServerCredentials credentials = ServerTls.credentials(security);
    BearerTokenAuth auth =
        security.tokenRequired() ? BearerTokenAuth.fromFile(security.authTokenFile().get()) : null;
    devices = runtime.devices(config.device());
    if (config.device().kind() == DeviceSpec.Kind.AUTO && !devices.get(0).isGpu()) {
      log.info("no GPU found, serving on the CPU");
    }
    executor = new PreprocessExecutor(preprocessThreads(), config.maxQueuedRequests());
    LabelEmbeddingCache labelCache = new LabelEmbeddingCache(config.labels().cacheBytes());
    ServingMetrics serving = new ServingMetrics(metrics.registry());
    boolean measured = metricsOn();
    labelSetFiles = config.labels().setDir().map(LabelSetFiles::in).orElseGet(LabelSetFiles::none);
    labelSets = new LabelSetStore(config.labels().limits(), labelCache, labelSetFiles);
    ZeroShotEngine engine =
        new ZeroShotEngine(
            models,
            new ImageDecoder(config.limits().maxImagePixels(), scaledJpegDecoder(manifests)),
            executor,
            labelCache,
            labelSets,
            measured ? serving : StageTimer.NONE);
    service =
        new ZeroShotGrpcService(engine, models, labelSets, config.limits(), this::metricsPort);
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(SERVICE_NAME, ServingStatus.NOT_SERVING);
    unreadableMessages = UnreadableMessageLog.install();
    // Innermost first: admission refuses model work beyond what the pool takes, after the token
    // is checked (a caller without one takes no place); the token is checked after the call is
    // counted and measured, so refused calls show up as UNAUTHENTICATED or RESOURCE_EXHAUSTED in
    // the metrics. Health and reflection are not checked: probes (Kubernetes' among them) cannot
    // send a token.
    List<ServerInterceptor> interceptors = new ArrayList<>();
    interceptors.add(new AdmissionLimit(preprocessThreads() + config.maxQueuedRequests()));
    if (auth != null) {
      interceptors.add(auth);
    }
    if (measured) {
      interceptors.add(new GrpcMetricsInterceptor(metrics.registry()));
    }
    interceptors.add(calls);
    server =
        GrpcPorts.api(
            config,
            credentials,
            ServerInterceptors.intercept(service.definition(), interceptors),
            health);
    try {
      if (security.healthPort() >= 0) {
        healthServer = GrpcPorts.healthOnly(config, health);
      }
      if (measured) {
        serving.bindModels(models, devices, runtime::memoryUsedBytes);
        serving.bindLabels(labelCache, labelSets);
        metricsHttp = MetricsHttpServer.start(config.host(), config.metricsPort(), metrics);
      }
    } catch (IOException | RuntimeException e) {
      server.shutdownNow(); // the caller sees a failed start: nothing should stay bound
      if (healthServer != null) {
        healthServer.shutdownNow();
      }
      throw e;
    }
    log.info(
        "listening on {}:{} (health NOT_SERVING until models are warm); {}",
        config.host(),
        port(),
        StartupSummary.security(security));
  }

  /** A model.NAME.OPTION entry for a model that is not loaded is a typo, not a setting to skip. */
  /** OpenCV's native library is loaded only when a model asks for the fast mode. */
  private static ScaledJpegDecoder scaledJpegDecoder(List<ModelManifest> manifests) {
    boolean fast =
        manifests.stream().anyMatch(m -> m.image().preprocessMode() == PreprocessMode.FAST);
    return fast ? ScaledJpegDecoder.load() : null;
  }

  private void checkPerModelNames(List<ModelManifest> manifests) {
    List<String> names = manifests.stream().map(ModelManifest::name).sorted().toList();
    for (String name : config.modelBatching().keySet()) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException(
            "model."
                + name
                + ".*: no model "
                + name
                + " is loaded (nearest: "
                + NearestKey.of(name, names)
                + "; expected one of: "
                + String.join(", ", names)
                + ")");
      }
    }
  }

  /** Loads and warms up every model and the stored label sets, then reports SERVING. */
  public void loadModels() throws InvalidModelException, IOException {
    for (ModelManifest manifest : models.manifests()) {
      long start = System.nanoTime();
      boolean gpu = devices.get(0).isGpu();
      EmbeddingModel model = loadReplicas(manifest);
      // Workers are configured per device: each replica gets as many as a single device would.
      BatchingPolicy policy =
          config.batchingFor(manifest.name(), gpu, cores()).withWorkersPerReplica(devices.size());
      if (gpu) {
        try {
          warmUpEveryBatchSize(model, policy.maxBatchSize());
        } catch (InvalidModelException | RuntimeException e) {
          model.close(); // not registered yet: nothing else would release it
          throw e;
        }
      }
      String name = manifest.name();
      ServedModel served =
          ServedModel.of(
              model,
              policy,
              TimeSource.SYSTEM,
              encoder ->
                  metricsOn()
                      ? new BatchMetrics(metrics.registry(), name, encoder)
                      : BatchObserver.NONE);
      if (metricsOn()) {
        BatchMetrics.bindQueue(metrics.registry(), name, "image", served.images());
        BatchMetrics.bindQueue(metrics.registry(), name, "text", served.texts());
      }
      served.start();
      models.ready(served);
      log.info(
          "model {} {} ready on {} in {} ms",
          manifest.name(),
          manifest.version(),
          model.device(),
          (System.nanoTime() - start) / 1_000_000);
    }
    loadLabelSets();
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(SERVICE_NAME, ServingStatus.SERVING);
    log.info(StartupSummary.describe(config, models, executor.threads(), port()));
  }

  /** One replica of the model per configured device; several are served as one model. */
  private EmbeddingModel loadReplicas(ModelManifest manifest) throws InvalidModelException {
    List<EmbeddingModel> replicas = new ArrayList<>();
    try {
      for (ComputeDevice d : devices) {
        EmbeddingModel replica = runtime.load(manifest, d);
        replicas.add(replica);
        log.info("model {} loaded on {}", manifest.name(), replica.device());
      }
    } catch (InvalidModelException | RuntimeException e) {
      replicas.forEach(EmbeddingModel::close); // not registered yet: nothing else would
      throw e;
    }
    return replicas.size() == 1 ? replicas.get(0) : new ReplicatedModel(replicas);
  }

  /**
   * On a GPU the first call at each new batch shape is slow (kernel selection, graph profiling:
   * seconds per shape), so every size the batcher can form is run once before SERVING. On CPU the
   * loader's batch-1 warm-up is enough: shapes do not matter there.
   */
  private static void warmUpEveryBatchSize(EmbeddingModel model, int maxBatchSize)
      throws InvalidModelException {
    long start = System.nanoTime();
    model.warmUp(maxBatchSize);
    log.info(
        "model {} warmed up at batch sizes 1..{} on {} in {} ms",
        model.manifest().name(),
        maxBatchSize,
        model.device(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Items accepted and waiting: for a preprocessing thread or in a batcher's queue. */
  public int queuedItems() {
    int queued = executor.queued();
    for (ServedModel m : models.served()) {
      queued += m.images().queued() + m.texts().queued();
    }
    return queued;
  }

  /** The models that are ready, with their batchers and batch statistics. */
  public List<ServedModel> servedModels() {
    return models.served();
  }

  /** Label sets stored in the label set directory, encoded again for the models now loaded. */
  private void loadLabelSets() throws IOException {
    for (LabelSetDefinition d : labelSetFiles.readAll()) {
      if (!models.manifests().stream().anyMatch(m -> m.name().equals(d.model()))) {
        log.warn("label set {} is for model {}, which is not loaded: skipped", d.name(), d.model());
        continue;
      }
      try {
        labelSets.put(models.require(d.model()), d, Long.MAX_VALUE).join();
      } catch (Exception e) {
        throw new IOException(
            "label set "
                + d.name()
                + " of model "
                + d.model()
                + " in "
                + labelSetFiles
                + ": "
                + e.getMessage(),
            e);
      }
    }
    log.info("{} label sets loaded from {}", labelSets.size(), labelSetFiles);
  }

  /** Metrics are measured and served unless the metrics port is -1 (off, e.g. to compare). */
  private boolean metricsOn() {
    return config.metricsPort() >= 0;
  }

  /** The plaintext health port, or -1 when there is none. */
  public int healthPort() {
    return healthServer == null ? -1 : healthServer.getPort();
  }

  /** The port of {@code /metrics}, or -1 when there is none. */
  public int metricsPort() {
    return metricsHttp == null ? -1 : metricsHttp.port();
  }

  /** The meters, for tests that read them directly. */
  public ServerMetrics metrics() {
    return metrics;
  }

  public int port() {
    return server.getPort();
  }

  /**
   * Stops taking calls (health NOT_SERVING, new calls UNAVAILABLE), lets in-flight ones finish
   * within the grace period, then releases the models. Safe to call more than once.
   */
  public synchronized void shutdown() throws InterruptedException {
    if (server == null || server.isTerminated()) {
      return;
    }
    server.shutdown(); // new calls are refused from here on (UNAVAILABLE)
    // Open streams would read new items for the whole grace period: they stop now, answer what
    // they have read, and end, so that clients resend the rest elsewhere.
    service.drainStreams();
    health.enterTerminalState(); // open health watches see NOT_SERVING
    // The service's calls get the grace period; health watches and reflection streams never end
    // by themselves, so whatever is still open after that is cancelled.
    boolean callsDone = calls.awaitNone(config.shutdownGrace());
    if (!callsDone) {
      log.warn(
          "{} calls still running after {} ms; cancelling them",
          calls.open(),
          config.shutdownGrace().toMillis());
    }
    // With the calls done, connections close by themselves once their last answers are out; cut
    // at once, a stream's final status could be lost (clients then see "io exception"). Only
    // connections that a health watch or reflection stream holds open are cut, after a moment.
    if (!callsDone || !server.awaitTermination(LAST_BYTES_MILLIS, TimeUnit.MILLISECONDS)) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    // In-flight calls are done (or cancelled); the queues are empty unless calls were cut off.
    models.served().forEach(ServedModel::shutdown);
    for (ServedModel m : models.served()) {
      m.images().awaitTermination(5, TimeUnit.SECONDS);
      m.texts().awaitTermination(5, TimeUnit.SECONDS);
    }
    executor.drain(config.shutdownGrace());
    executor.close();
    models.close();
    if (metricsHttp != null) {
      metricsHttp.close();
    }
    if (healthServer != null) {
      healthServer.shutdownNow();
    }
    metrics.close();
    unreadableMessages.close();
    log.info("stopped");
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  private int preprocessThreads() {
    return config.preprocessThreads() > 0 ? config.preprocessThreads() : cores();
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
