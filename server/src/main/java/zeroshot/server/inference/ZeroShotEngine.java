package zeroshot.server.inference;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import zeroshot.server.labels.PromptTemplate;
import zeroshot.server.model.ModelNotReadyException;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.UnknownModelException;
import zeroshot.server.model.image.DecodedImage;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.InvalidImageException;
import zeroshot.server.scoring.Scorer;

/**
 * Classification and embedding, independent of the wire protocol: picks the model, then runs
 * decoding, preprocessing, the encoders and scoring on the {@link InferenceExecutor}.
 *
 * <p>The model is resolved on the caller's thread, so an unknown or unready model fails before
 * anything is queued. Everything else fails through the returned future: {@link
 * InvalidInputException} for images that do not decode, {@link OverloadedException} when the pool
 * is full, and {@code ModelExecutionException} when the model fails.
 */
public final class ZeroShotEngine {
  private final ModelRegistry models;
  private final ImageDecoder decoder;
  private final InferenceExecutor executor;

  public ZeroShotEngine(ModelRegistry models, ImageDecoder decoder, InferenceExecutor executor) {
    this.models = requireNonNull(models, "models");
    this.decoder = requireNonNull(decoder, "decoder");
    this.executor = requireNonNull(executor, "executor");
  }

  public CompletableFuture<Classification> classifyImage(
      String model, ImageInput image, List<String> labels, PromptTemplate template, int topK)
      throws UnknownModelException, ModelNotReadyException {
    ServedModel served = models.require(model);
    return executor.submit(
        () -> {
          float[] pixels = tensor(served, image, "image");
          float[] input = served.model().embedImages(List.of(pixels))[0];
          return score(served, input, labels, template, topK);
        });
  }

  public CompletableFuture<Classification> classifyText(
      String model, String text, List<String> labels, PromptTemplate template, int topK)
      throws UnknownModelException, ModelNotReadyException {
    ServedModel served = models.require(model);
    return executor.submit(
        () -> {
          float[] input = served.model().embedTexts(List.of(text))[0];
          return score(served, input, labels, template, topK);
        });
  }

  public CompletableFuture<Embeddings> embedImages(String model, List<ImageInput> images)
      throws UnknownModelException, ModelNotReadyException {
    ServedModel served = models.require(model);
    return executor.submit(
        () -> {
          List<float[]> pixels = new ArrayList<>(images.size());
          for (int i = 0; i < images.size(); i++) {
            pixels.add(tensor(served, images.get(i), "images[" + i + "]"));
          }
          return new Embeddings(served.manifest(), served.model().embedImages(pixels));
        });
  }

  public CompletableFuture<Embeddings> embedTexts(String model, List<String> texts)
      throws UnknownModelException, ModelNotReadyException {
    ServedModel served = models.require(model);
    return executor.submit(
        () -> new Embeddings(served.manifest(), served.model().embedTexts(texts)));
  }

  private Classification score(
      ServedModel served, float[] input, List<String> labels, PromptTemplate template, int topK) {
    float[][] labelVectors = served.model().embedTexts(template.applyAll(labels));
    float scale = served.manifest().logitScale();
    return new Classification(served.manifest(), Scorer.topK(input, labelVectors, scale, topK));
  }

  private float[] tensor(ServedModel served, ImageInput image, String field)
      throws InvalidInputException {
    try {
      DecodedImage decoded =
          image instanceof ImageInput.Raw raw
              ? decoder.fromRawPixels(raw.pixels(), raw.width(), raw.height(), raw.channels())
              : decoder.decode(((ImageInput.Encoded) image).bytes());
      return served.preprocessor().toTensor(decoded);
    } catch (InvalidImageException e) {
      throw new InvalidInputException(field, e);
    }
  }
}
