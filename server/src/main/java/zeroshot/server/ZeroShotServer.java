package zeroshot.server;

import static java.util.Objects.requireNonNull;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.api.AdmissionLimit;
import zeroshot.server.api.InFlightCalls;
import zeroshot.server.api.UnreadableMessageLog;
import zeroshot.server.api.ZeroShotGrpcService;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.config.ServerConfig;
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

  public ZeroShotServer(ServerConfig config, ModelRuntime runtime) {
    this.config = requireNonNull(config, "config");
    this.runtime = requireNonNull(runtime, "runtime");
    this.telemetry = Telemetry.forPort(config.metricsHost(), config.metricsPort());
  }

  /** Reads every manifest (failing on the first problem) and starts listening. */
  public void start() throws IOException, InvalidModelException {
    models = ModelStartup.readManifests(config);
    ScaledJpegDecoder scaledJpeg;
    try {
      scaledJpeg = ModelStartup.scaledJpegDecoder(models.manifests());
    } catch (IllegalStateException e) {
      // A missing system library, like a missing file: "cannot start", not a stack trace.
      throw new IOException(e.getMessage(), e);
    }
    // Certificates and the token are read before anything runs, so a bad file stops the start
    // with nothing to clean up.
    SecuritySettings security = config.security();
    ServerCredentials credentials = ServerTls.credentials(security);
    BearerTokenAuth auth =
        security.tokenRequired() ? BearerTokenAuth.fromFile(security.authTokenFile().get()) : null;
    if (security.tokenRequired() && !security.tls()) {
      log.warn(
          "--allow-plaintext-token: the bearer token crosses the network in clear text on port {};"
              + " keep it so only where a service mesh or proxy encrypts the connection",
          config.port());
    }
    List<ComputeDevice> devices = runtime.devices(config.device());
    if (config.device().kind() == DeviceSpec.Kind.AUTO && !devices.get(0).isGpu()) {
      log.info("no GPU found, serving on the CPU");
    }
    startup = new ModelStartup(config, models, runtime, devices, telemetry);
    executor = new PreprocessExecutor(preprocessThreads(), config.maxQueuedRequests());
    LabelEmbeddingCache labelCache = new LabelEmbeddingCache(config.labels().cacheBytes());
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
    service = new ZeroShotGrpcService(engine, models, labelSets, config.limits(), telemetry::port);
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
    interceptors.addAll(telemetry.interceptors());
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
      telemetry.serve(models, devices, runtime::memoryUsedBytes, labelCache, labelSets);
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

  /** Loads and warms up every model and the stored label sets, then reports SERVING. */
  public void loadModels() throws InvalidModelException, IOException {
    startup.loadAll();
    labelSets.restore(models);
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(SERVICE_NAME, ServingStatus.SERVING);
    log.info(StartupSummary.describe(config, models, executor.threads(), port()));
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
