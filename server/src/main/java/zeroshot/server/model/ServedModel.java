package zeroshot.server.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;
import zeroshot.server.batching.BatchObserver;
import zeroshot.server.batching.Batcher;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.batching.TimeSource;
import zeroshot.server.model.image.ImagePreprocessor;

/**
 * A loaded, warmed-up model with what serving it takes: the preprocessing its manifest asks for,
 * and one batcher per encoder, so that items from many calls share model calls.
 *
 * @param model the encoders
 * @param preprocessor turns decoded images into the image encoder's input
 * @param images batches preprocessed image tensors into {@link EmbeddingModel#embedImages}
 * @param texts batches texts into {@link EmbeddingModel#embedTexts}
 */
public record ServedModel(
    EmbeddingModel model,
    ImagePreprocessor preprocessor,
    Batcher<float[], float[]> images,
    Batcher<String, float[]> texts) {

  public ServedModel {
    requireNonNull(model, "model");
    requireNonNull(preprocessor, "preprocessor");
    requireNonNull(images, "images");
    requireNonNull(texts, "texts");
  }

  /**
   * Wraps a loaded model with batchers following {@code policy}, each queueing as {@code queue}
   * allows; call {@link #start()}.
   */
  public static ServedModel of(
      EmbeddingModel model, BatchingPolicy policy, QueuePolicy queue, TimeSource time) {
    return of(model, policy, queue, time, encoder -> BatchObserver.NONE);
  }

  /** As above, with an observer per encoder ("image", "text"). */
  public static ServedModel of(
      EmbeddingModel model,
      BatchingPolicy policy,
      QueuePolicy queue,
      TimeSource time,
      Function<String, BatchObserver> observers) {
    String name = model.manifest().name();
    return new ServedModel(
        model,
        new ImagePreprocessor(model.manifest().image().preprocess()),
        new Batcher<>(
            name + "-image",
            policy,
            queue,
            inputs -> List.of(model.embedImages(inputs)),
            time,
            observers.apply("image")),
        new Batcher<>(
            name + "-text",
            policy,
            queue,
            inputs -> List.of(model.embedTexts(inputs)),
            time,
            observers.apply("text")));
  }

  public ModelManifest manifest() {
    return model.manifest();
  }

  public void start() {
    images.start();
    texts.start();
  }

  /** Stops admission on both batchers; queued items still run. */
  public void shutdown() {
    images.shutdown();
    texts.shutdown();
  }
}
