package zeroshot.server.testing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.LabelVectors;
import zeroshot.server.model.ModelLoader;
import zeroshot.server.model.ModelManifest;

/**
 * Loads models with another loader and counts, per encoder, the batches the server calls them with:
 * every model call is one batch of the batcher in front of it. A call is counted before it returns,
 * failed or not, so a caller that has its answer sees its batch counted.
 */
public final class CountingLoader implements ModelLoader {
  private final ModelLoader loader;
  private final BatchStats imageStats = new BatchStats();
  private final BatchStats textStats = new BatchStats();

  public CountingLoader(ModelLoader loader) {
    this.loader = requireNonNull(loader, "loader");
  }

  @Override
  public EmbeddingModel load(ModelManifest manifest, ComputeDevice device)
      throws InvalidModelException {
    return new Counted(loader.load(manifest, device));
  }

  /** The image batches of every model this loader loaded. */
  public BatchStats imageStats() {
    return imageStats;
  }

  /** The text batches of every model this loader loaded. */
  public BatchStats textStats() {
    return textStats;
  }

  private final class Counted implements EmbeddingModel {
    private final EmbeddingModel model;

    Counted(EmbeddingModel model) {
      this.model = model;
    }

    @Override
    public ModelManifest manifest() {
      return model.manifest();
    }

    @Override
    public String device() {
      return model.device();
    }

    @Override
    public float[][] embedImages(List<float[]> pixels) {
      long start = System.nanoTime();
      try {
        return model.embedImages(pixels);
      } finally {
        imageStats.batch(pixels.size(), System.nanoTime() - start);
      }
    }

    @Override
    public float[][] embedTexts(List<String> texts) {
      long start = System.nanoTime();
      try {
        return model.embedTexts(texts);
      } finally {
        textStats.batch(texts.size(), System.nanoTime() - start);
      }
    }

    @Override
    public LabelVectors keep(float[][] vectors) {
      return model.keep(vectors);
    }

    @Override
    public void warmUp(int maxBatchSize) throws InvalidModelException {
      model.warmUp(maxBatchSize);
    }

    @Override
    public long[][] tokenize(List<String> texts) {
      return model.tokenize(texts);
    }

    @Override
    public List<String> unknownWords(String text) {
      return model.unknownWords(text);
    }

    @Override
    public void close() {
      model.close();
    }
  }
}
