package zeroshot.server;

import static java.util.Objects.requireNonNull;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.api.InFlightCalls;
import zeroshot.server.api.UnreadableMessageLog;
import zeroshot.server.api.ZeroShotGrpcService;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.http.HttpGateway;
import zeroshot.server.inference.PreprocessExecutor;
import zeroshot.server.inference.ZeroShotEngine;
import zeroshot.server.labels.LabelEmbeddingCache;
import zeroshot.server.labels.LabelSetFiles;
import zeroshot.server.labels.LabelSetStore;
import zeroshot.server.metrics.Telemetry;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.DeviceSpec;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.ModelRuntime;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.image.ImageDecoder;
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
  private final Telemetry telemetry;
  private final HealthStatusManager health = new HealthStatusManager();
  private final InFlightCalls calls = new InFlightCalls();
  private ModelRegistry models;
  private ModelStartup startup;
  private PreprocessExecutor executor;
  private LabelSetStore labelSets;
  private ZeroShotGrpcService service;
  private UnreadableMessageLog unreadableMessages;
  private Server server;
  private Server healthServer; // null unless --health-port
  private HttpGateway http; // null when --http-port -1

  public ZeroShotServer(ServerConfig config, ModelRuntime runtime) {
    this.config = requireNonNull(config, "config");
    this.runtime = requireNonNull(runtime, "runtime");
    this.telemetry = Telemetry.forPort(config.metricsHost(), config.metricsPort());
  }

  /** Reads every manifest (failing on the first problem) and starts listening. */
  public void start() throws IOException, InvalidModelException {
    models = ModelStartup.readManifests(config);
    ScaledJpegDecoder scaledJpeg = scaledJpegDecoder();
    // Certificates and the token are read before anything runs, so a bad file stops the start
    // with nothing to clean up.
    ServerCredentials credentials = ServerTls.credentials(config.security());
    BearerTokenAuth auth = bearerToken();
    List<ComputeDevice> devices = runtime.devices(config.device());
    if (config.device().kind() == DeviceSpec.Kind.AUTO && !devices.get(0).isGpu()) {
      log.info("no GPU found, serving on the CPU");
    }
    LabelEmbeddingCache labelCache = new LabelEmbeddingCache(config.labels().cacheBytes());
    service = wire(devices, scaledJpeg, labelCache);
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(SERVICE_NAME, ServingStatus.NOT_SERVING);
    unreadableMessages = UnreadableMessageLog.install();
    ServerServiceDefinition api =
        GrpcPorts.intercepted(
            service.definition(),
            preprocessThreads() + config.maxQueuedRequests(),
            auth,
            telemetry.interceptors(),
            calls);
    server = GrpcPorts.api(config, credentials, api, health);
    openOtherPorts(api, devices, labelCache);
    log.info(
        "listening on {}:{}{} (health NOT_SERVING until models are warm); {}",
        config.host(),
        port(),
        http == null ? "" : ", HTTP/JSON and the playground on port " + http.port(),
        StartupSummary.security(config.security()));
  }

  /** The JPEG decoder that fast mode needs, or null when no model asks for it. */
  private ScaledJpegDecoder scaledJpegDecoder() throws IOException {
    try {
      return ModelStartup.scaledJpegDecoder(models.manifests());
    } catch (IllegalStateException e) {
      // A missing system library, like a missing file: "cannot start", not a stack trace.
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The bearer-token check, read from its file, or null when no token is required. */
  private BearerTokenAuth bearerToken() throws IOException {
    SecuritySettings security = config.security();
    if (!security.tokenRequired()) {
      return null;
    }
    BearerTokenAuth auth = BearerTokenAuth.fromFile(security.authTokenFile().get());
    if (!security.tls()) {
      log.warn(
          "--allow-plaintext-token: the bearer token crosses the network in clear text on port {};"
              + " keep it so only where a service mesh or proxy encrypts the connection",
          config.port());
    }
    return auth;
  }

  /**
   * The object graph behind the API, built by hand: model startup, the preprocessing pool, label
   * sets and the engine; returns the gRPC service on top of them.
   */
  private ZeroShotGrpcService wire(
      List<ComputeDevice> devices, ScaledJpegDecoder scaledJpeg, LabelEmbeddingCache labelCache) {
    startup = new ModelStartup(config, models, runtime, devices, telemetry);
    executor = new PreprocessExecutor(preprocessThreads(), config.maxQueuedRequests());
    LabelSetFiles labelSetFiles =
        config.labels().setDir().map(LabelSetFiles::in).orElseGet(LabelSetFiles::none);
    labelSets = new LabelSetStore(config.labels().limits(), labelCache, labelSetFiles);
    ZeroShotEngine engine =
        new ZeroShotEngine(
            models,
            new ImageDecoder(config.limits().maxImagePixels(), scaledJpeg),
            executor,
            labelCache,
            labelSets,
            telemetry.stageTimer());
    return new ZeroShotGrpcService(engine, models, labelSets, config.limits(), telemetry::port);
  }

  /**
   * Opens the HTTP/JSON port, the plaintext health port (each if configured) and {@code /metrics};
   * if one cannot be bound, closes what is open, the API port included, so that a failed start
   * leaves nothing bound.
   */
  private void openOtherPorts(
      ServerServiceDefinition api, List<ComputeDevice> devices, LabelEmbeddingCache labelCache)
      throws IOException {
    try {
      if (config.httpPort() >= 0) {
        http =
            HttpGateway.start(
                config.host(),
                config.httpPort(),
                api,
                ZeroShotServiceGrpc.getServiceDescriptor(),
                ServerTls.httpContext(config.security()),
                config.limits().maxMessageBytes());
      }
      if (config.security().healthPort() >= 0) {
        healthServer = GrpcPorts.healthOnly(config, health);
      }
      telemetry.serve(models, devices, runtime::memoryUsedBytes, labelCache, labelSets);
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      if (healthServer != null) {
        healthServer.shutdownNow();
      }
      closeHttp();
      throw e;
    }
  }

  private void closeHttp() {
    if (http == null) {
      return;
    }
    try {
      http.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Loads and warms up every model and the stored label sets, then reports SERVING. */
  public void loadModels() throws InvalidModelException, IOException {
    startup.loadAll();
    labelSets.restore(models);
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(SERVICE_NAME, ServingStatus.SERVING);
    log.info(
        StartupSummary.describe(
            config, models, executor.threads(), port(), httpPort(), metricsPort()));
  }

  /** The HTTP/JSON port, or -1 when there is none. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The plaintext health port, or -1 when there is none. */
  public int healthPort() {
    return healthServer == null ? -1 : healthServer.getPort();
  }

  /** The port of {@code /metrics}, or -1 when there is none. */
  public int metricsPort() {
    return telemetry.port();
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
    if (http != null) {
      http.shutdown(); // and over HTTP (503)
    }
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
    for (ServedModel served : models.served()) {
      served.images().awaitTermination(5, TimeUnit.SECONDS);
      served.texts().awaitTermination(5, TimeUnit.SECONDS);
    }
    executor.drain(config.shutdownGrace());
    executor.close();
    models.close();
    telemetry.close();
    if (healthServer != null) {
      healthServer.shutdownNow();
    }
    closeHttp();
    unreadableMessages.close();
    log.info("stopped");
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  private int preprocessThreads() {
    return config.preprocessThreads() > 0
        ? config.preprocessThreads()
        : Runtime.getRuntime().availableProcessors();
  }
}
