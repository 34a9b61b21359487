package zeroshot.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.TimeSource;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.messages.NearestKey;
import zeroshot.server.metrics.Telemetry;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelLoader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.ReplicatedModel;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.image.PreprocessMode;
import zeroshot.server.model.image.ScaledJpegDecoder;

/**
 * Model loading at start: the configured manifests are read and checked first; then each model is
 * loaded onto every device (one replica each), warmed up, given its batchers and marked ready.
 */
final class ModelStartup {
  private static final Logger log = LoggerFactory.getLogger(ModelStartup.class);

  private final ServerConfig config;
  private final ModelRegistry models;
  private final ModelLoader loader;
  private final List<ComputeDevice> devices;
  private final Telemetry telemetry;

  ModelStartup(
      ServerConfig config,
      ModelRegistry models,
      ModelLoader loader,
      List<ComputeDevice> devices,
      Telemetry telemetry) {
    this.config = config;
    this.models = models;
    this.loader = loader;
    this.devices = devices;
    this.telemetry = telemetry;
  }

  /**
   * The configured models, known from their manifests (with the configured preprocessing mode if
   * there is one), none of them ready yet.
   *
   * @throws InvalidModelException for the first manifest with a problem
   * @throws IllegalArgumentException if two models have one name, or a per-model setting names a
   *     model that is not configured
   */
  static ModelRegistry readManifests(ServerConfig config) throws InvalidModelException {
    List<ModelManifest> manifests = new ArrayList<>();
    for (Path dir : config.modelDirs()) {
      ModelManifest manifest = ManifestReader.read(dir);
      manifests.add(
          config
              .preprocessModeFor(manifest.name())
              .map(manifest::withPreprocessMode)
              .orElse(manifest));
    }
    ModelRegistry models = new ModelRegistry(manifests);
    checkPerModelNames(config, manifests);
    return models;
  }

  /** A model.NAME.OPTION entry for a model that is not loaded is a typo, not a setting to skip. */
  private static void checkPerModelNames(ServerConfig config, List<ModelManifest> manifests) {
    List<String> names = manifests.stream().map(ModelManifest::name).sorted().toList();
    for (String name : config.perModel().keySet()) {
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

  /** The fast mode's JPEG library is loaded only when a model asks for that mode. */
  static ScaledJpegDecoder scaledJpegDecoder(List<ModelManifest> manifests) {
    boolean fast =
        manifests.stream().anyMatch(m -> m.image().preprocessMode() == PreprocessMode.FAST);
    return fast ? ScaledJpegDecoder.load() : null;
  }

  /** Loads and warms up every model of the registry, starts its batchers and marks it ready. */
  void loadAll() throws InvalidModelException {
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
              config.queueFor(name, gpu, cores()),
              TimeSource.SYSTEM,
              encoder -> telemetry.batchObserver(name, encoder));
      telemetry.bindQueues(served);
      served.start();
      models.ready(served);
      log.info(
          "model {} {} ready on {} in {} ms",
          manifest.name(),
          manifest.version(),
          model.device(),
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** One replica of the model per configured device; several are served as one model. */
  private EmbeddingModel loadReplicas(ModelManifest manifest) throws InvalidModelException {
    List<EmbeddingModel> replicas = new ArrayList<>();
    try {
      for (ComputeDevice d : devices) {
        EmbeddingModel replica = loader.load(manifest, d);
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

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
