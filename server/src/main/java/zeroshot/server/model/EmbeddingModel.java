package zeroshot.server.model;

import java.util.List;

/**
 * A CLIP-style model: images and texts to L2-normalised vectors in one space.
 *
 * <p>Batching, caching and the API run on this interface, so they can be tested with a small
 * deterministic fake as well as with a real model. Implementations are thread-safe.
 */
public interface EmbeddingModel extends AutoCloseable {

  /** What the model is and what its inputs must look like. */
  ModelManifest manifest();

  /** The device the model runs on, e.g. {@code cpu()} or {@code gpu(0)}. */
  String device();

  /**
   * Embeds preprocessed images as one batch.
   *
   * @param pixels one tensor per image as the manifest's preprocessing makes it: {@code float[3 * S
   *     * S]} channel-major for a square input, a {@link zeroshot.server.model.image.NaFlexTensor}
   *     for a NaFlex model
   * @return one L2-normalised {@code float[D]} per image, in order
   * @throws IllegalArgumentException if a tensor has the wrong length
   * @throws ModelExecutionException if the model fails
   */
  float[][] embedImages(List<float[]> pixels);

  /**
   * Embeds texts as one batch (tokenised, padded or truncated to the context length).
   *
   * @return one L2-normalised {@code float[D]} per text, in order
   * @throws ModelExecutionException if the model fails
   */
  float[][] embedTexts(List<String> texts);

  /**
   * Keeps label vectors where this model runs, for scoring many inputs against them; the default
   * keeps them in the Java heap.
   */
  default LabelVectors keep(float[][] vectors) {
    return new HeapLabelVectors(vectors);
  }

  /**
   * Runs each encoder once at every batch size from 1 to {@code maxBatchSize}, so that no request
   * pays for the first call at a new input shape; the default does nothing (for models where shapes
   * do not matter).
   *
   * @throws InvalidModelException if an encoder fails
   */
  default void warmUp(int maxBatchSize) throws InvalidModelException {}

  /** Token ids as the text encoder receives them: exactly the context length, padded. */
  long[][] tokenize(List<String> texts);

  /**
   * The words of {@code text} the model has no token for, which it embeds as it embeds every other
   * unknown word (so labels made only of them score alike); empty when it knows them all, or has no
   * such notion. Cheap: callers may ask per request.
   */
  default List<String> unknownWords(String text) {
    return List.of();
  }

  @Override
  void close();
}
