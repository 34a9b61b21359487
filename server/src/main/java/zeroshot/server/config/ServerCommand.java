package zeroshot.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zeroshot.cli.DurationConverter;
import zeroshot.server.labels.LabelSetLimits;
import zeroshot.server.model.DeviceSpec;

/**
 * The server's command line. Every option can also come from the environment ({@code ZEROSHOT_} +
 * the option name in upper snake case, e.g. {@code ZEROSHOT_MAX_LABELS}) or from a properties file
 * given with {@code --config} (keys are option names without dashes, e.g. {@code max-labels=500});
 * a flag beats the environment, which beats the file. See {@link ConfigDefaults}. The options a
 * model can also set for itself are not fields here: {@link ModelOption} defines them and adds
 * their flags (after these, in the help).
 */
@Command(
    name = "zeroshot-server",
    mixinStandardHelpOptions = true,
    versionProvider = ServerVersion.class,
    sortOptions = false,
    modelTransformer = ModelOption.Flags.class,
    description = "Serves CLIP-style zero-shot classification over gRPC.")
public final class ServerCommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with option values (keys: option names without dashes).")
  Path config;

  @Option(
      names = "--model-dir",
      paramLabel = "DIR",
      split = ",",
      description =
          "Model directory; repeat (or comma-separate) for several. First = default.%n"
              + "Default: models/tiny-clip")
  List<Path> modelDirs;

  @Option(names = "--host", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host = ServerConfig.DEFAULT_HOST;

  @Option(names = "--port", description = "gRPC port (0: any free port). Default: ${DEFAULT-VALUE}")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(
      names = "--metrics-port",
      description =
          "HTTP port of /metrics (Prometheus); -1: metrics off (not measured, not served). "
              + "Default: ${DEFAULT-VALUE}")
  int metricsPort = ServerConfig.DEFAULT_METRICS_PORT;

  @Option(
      names = "--http-port",
      description =
          "HTTP/JSON port: every RPC as JSON (POST /v1/classify, GET /v1/models, ...) and the"
              + " playground page at /, with the gRPC port's TLS and token; 0: any free port,"
              + " -1: none. Default: ${DEFAULT-VALUE}")
  int httpPort = ServerConfig.DEFAULT_HTTP_PORT;

  @Option(
      names = "--metrics-host",
      paramLabel = "ADDRESS",
      description =
          "Address /metrics binds, e.g. 127.0.0.1 or the pod's address, to keep it off a public"
              + " interface while gRPC listens on --host. Default: --host")
  String metricsHost;

  @Option(
      names = "--device",
      description =
          "auto (every GPU PyTorch sees, else the CPU), cpu, gpu, gpu:N, or gpu:0,gpu:1 (one"
              + " model replica per GPU). Default: ${DEFAULT-VALUE}")
  String device = "auto";

  @Option(
      names = "--preprocess-threads",
      description = "Threads decoding and preprocessing images (0: one per core). Default: 0")
  int preprocessThreads = 0;

  @Option(
      names = "--max-queued-requests",
      description =
          "Requests queued beyond those running before RESOURCE_EXHAUSTED; with the preprocess"
              + " threads, also the most Classify/Embed calls in flight. Default: ${DEFAULT-VALUE}")
  int maxQueuedRequests = ServerConfig.DEFAULT_MAX_QUEUED_REQUESTS;

  @Option(
      names = "--max-image-bytes",
      description =
          "Most bytes of one image, encoded or raw; more is INVALID_ARGUMENT. Default: ${DEFAULT-VALUE}")
  int maxImageBytes = Limits.DEFAULT_MAX_IMAGE_BYTES;

  @Option(
      names = "--max-image-pixels",
      description =
          "Most pixels (width x height) of one image, read from its header before decoding. Default: ${DEFAULT-VALUE}")
  long maxImagePixels = Limits.DEFAULT_MAX_IMAGE_PIXELS;

  @Option(
      names = "--max-labels",
      description = "Most candidate labels in one Classify call. Default: ${DEFAULT-VALUE}")
  int maxLabels = Limits.DEFAULT_MAX_LABELS;

  @Option(
      names = "--max-label-chars",
      description =
          "Most characters of one label, before the prompt template; also for label sets. Default: ${DEFAULT-VALUE}")
  int maxLabelChars = Limits.DEFAULT_MAX_LABEL_CHARS;

  @Option(
      names = "--max-text-chars",
      description =
          "Most characters of one text (Classify text input, EmbedTexts item). Default: ${DEFAULT-VALUE}")
  int maxTextChars = Limits.DEFAULT_MAX_TEXT_CHARS;

  @Option(
      names = "--max-batch-items",
      description =
          "Most images or texts in one EmbedImages or EmbedTexts call. Default: ${DEFAULT-VALUE}")
  int maxBatchItems = Limits.DEFAULT_MAX_BATCH_ITEMS;

  @Option(
      names = "--max-message-bytes",
      description =
          "Most bytes of one inbound gRPC message (an image with its request). Default: ${DEFAULT-VALUE}")
  int maxMessageBytes = Limits.DEFAULT_MAX_MESSAGE_BYTES;

  @Option(
      names = "--shutdown-grace",
      description =
          "Time in-flight calls get to finish on SIGTERM (ISO-8601 or e.g. 30s). " + "Default: 30s",
      converter = DurationConverter.class)
  Duration shutdownGrace = ServerConfig.DEFAULT_SHUTDOWN_GRACE;

  @Option(
      names = "--max-connection-age",
      description =
          "Age after which a client connection is asked to reconnect (GOAWAY), so clients "
              + "resolve the service again and new replicas get traffic. Default: 5m",
      converter = DurationConverter.class)
  Duration maxConnectionAge = ServerConfig.DEFAULT_MAX_CONNECTION_AGE;

  @Option(
      names = "--max-connection-age-grace",
      description =
          "Time calls still open on such a connection get to finish before it is closed. "
              + "Default: 30s",
      converter = DurationConverter.class)
  Duration maxConnectionAgeGrace = ServerConfig.DEFAULT_MAX_CONNECTION_AGE_GRACE;

  @Option(
      names = "--label-cache-bytes",
      description = "Bound on the label-embedding cache (estimated bytes). Default: 268435456")
  long labelCacheBytes = LabelSettings.DEFAULT_CACHE_BYTES;

  @Option(
      names = "--label-set-dir",
      paramLabel = "DIR",
      description = "Keep label sets here across restarts. Default: none (memory only)")
  Path labelSetDir;

  @Option(
      names = "--max-label-sets",
      description = "Label sets per server. Default: ${DEFAULT-VALUE}")
  int maxLabelSets = LabelSetLimits.DEFAULT_MAX_SETS;

  @Option(
      names = "--max-set-labels",
      description = "Labels per label set. Default: ${DEFAULT-VALUE}")
  int maxSetLabels = LabelSetLimits.DEFAULT_MAX_LABELS;

  @Option(
      names = "--max-set-templates",
      description = "Prompt templates per label set. Default: ${DEFAULT-VALUE}")
  int maxSetTemplates = LabelSetLimits.DEFAULT_MAX_TEMPLATES;

  @Option(
      names = "--max-label-prompts",
      description = "Synonyms plus extra prompts per label of a set. Default: ${DEFAULT-VALUE}")
  int maxLabelPrompts = LabelSetLimits.DEFAULT_MAX_PROMPTS_PER_LABEL;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "PEM certificate chain of the server; with --tls-key, gRPC speaks TLS only."
              + " Default: none (plaintext)")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM private key of --tls-cert, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description =
          "PEM CA certificates: every client must present a certificate signed by one of them"
              + " (mutual TLS). Needs --tls-cert. Default: none")
  Path tlsClientCa;

  @Option(
      names = "--auth-token-file",
      paramLabel = "FILE",
      description =
          "File holding one token: zeroshot.v1 calls must send 'authorization: Bearer <token>'"
              + " or get UNAUTHENTICATED; health and reflection stay open. Default: none")
  Path authTokenFile;

  @Option(
      names = "--log-request-text",
      description =
          "Quote request text (labels, texts) in the log, e.g. a word the model does not know;"
              + " without it the log gives only lengths and a short SHA-256. Default: false")
  public boolean logRequestText;

  @Option(
      names = "--allow-plaintext-token",
      description =
          "Accept --auth-token-file without TLS: the token then crosses the network in clear"
              + " text, so only where a service mesh or proxy encrypts the connection (a WARN"
              + " says so at start). Default: false, refused")
  boolean allowPlaintextToken;

  @Option(
      names = "--health-port",
      description =
          "Second, plaintext port serving only grpc.health.v1, for probes that cannot speak TLS"
              + " (Kubernetes gRPC probes); -1: none. Default: ${DEFAULT-VALUE}")
  int healthPort = -1;

  /**
   * The validated configuration; IllegalArgumentException says which value is wrong.
   *
   * @param perModelEntries the config file's {@code model.NAME.OPTION} entries: option → value, by
   *     model name
   */
  public ServerConfig toConfig(Map<String, Map<String, String>> perModelEntries) {
    Limits limits =
        new Limits(
            maxImageBytes,
            maxImagePixels,
            maxLabels,
            maxLabelChars,
            maxTextChars,
            maxBatchItems,
            maxMessageBytes);
    List<Path> dirs =
        modelDirs == null || modelDirs.isEmpty()
            ? List.of(ServerConfig.DEFAULT_MODEL_DIR)
            : modelDirs;
    ModelSettings modelSettings = ModelSettings.NONE;
    for (ModelOption<?> option : ModelOption.ALL) {
      modelSettings = fromFlag(modelSettings, option);
    }
    Map<String, ModelSettings> perModel = new TreeMap<>();
    perModelEntries.forEach(
        (model, entries) -> perModel.put(model, ModelSettings.parse(model, entries)));
    return ServerConfig.builder()
        .host(host)
        .port(port)
        .modelDirs(dirs)
        .device(DeviceSpec.parse(device))
        .preprocessThreads(preprocessThreads)
        .maxQueuedRequests(maxQueuedRequests)
        .limits(limits)
        .shutdownGrace(shutdownGrace)
        .modelSettings(modelSettings)
        .perModel(perModel)
        .labels(
            new LabelSettings(
                labelCacheBytes,
                Optional.ofNullable(labelSetDir),
                new LabelSetLimits(
                    maxLabelSets, maxSetLabels, maxSetTemplates, maxLabelPrompts, maxLabelChars)))
        .metricsPort(metricsPort)
        .maxConnectionAge(maxConnectionAge)
        .maxConnectionAgeGrace(maxConnectionAgeGrace)
        .security(
            new SecuritySettings(
                Optional.ofNullable(tlsCert),
                Optional.ofNullable(tlsKey),
                Optional.ofNullable(tlsClientCa),
                Optional.ofNullable(authTokenFile),
                healthPort,
                allowPlaintextToken))
        .metricsHost(metricsHost)
        .httpPort(httpPort)
        .build();
  }

  private <T> ModelSettings fromFlag(ModelSettings settings, ModelOption<T> option) {
    return settings.with(option, option.valueIn(spec));
  }
}
