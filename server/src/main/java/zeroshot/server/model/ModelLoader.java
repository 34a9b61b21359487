package zeroshot.server.model;

/** Loads one model directory onto one device; tests substitute fakes or slow loaders. */
@FunctionalInterface
public interface ModelLoader {
  /**
   * Loads the model that {@code manifest} describes onto {@code device}, checked and warmed up at
   * batch size 1: the model returned is ready to serve.
   *
   * @throws InvalidModelException if the files do not hold what the manifest declares
   */
  EmbeddingModel load(ModelManifest manifest, ComputeDevice device) throws InvalidModelException;
}
