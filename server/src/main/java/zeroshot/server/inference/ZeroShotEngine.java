package zeroshot.server.inference;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import zeroshot.server.batching.Batcher;
import zeroshot.server.labels.EncodedLabelSet;
import zeroshot.server.labels.LabelEmbeddingCache;
import zeroshot.server.labels.LabelMatrix;
import zeroshot.server.labels.LabelSetDefinition;
import zeroshot.server.labels.LabelSetStore;
import zeroshot.server.labels.ScoringLabels;
import zeroshot.server.labels.UnknownLabelSetException;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;
import zeroshot.server.model.LabelVectors;
import zeroshot.server.model.ModelManifest.ImageEncoderSpec;
import zeroshot.server.model.ModelNotReadyException;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.Scoring;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.UnknownModelException;
import zeroshot.server.model.image.DecodedImage;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.InvalidImageException;

/**
 * Classification and embedding, independent of the wire protocol. A call picks its model, then
 * decodes and preprocesses images on the {@link PreprocessExecutor} while its label prompts wait in
 * the model's text batcher; the image tensors then go to the image batcher, and scoring runs when
 * both vectors are there.
 *
 * <p>The model is resolved on the caller's thread, so an unknown or unready model fails before
 * anything is queued. Everything else fails through the returned future: {@link
 * InvalidFieldException} for images that do not decode, {@code QueueFullException} or {@link
 * OverloadedException} when a queue is full, {@code DeadlineExpiredException} when the deadline
 * passes in a queue, {@code ModelExecutionException} when the model fails. Cancelling the returned
 * future drops the call's work that has not run yet.
 *
 * @see zeroshot.server.batching.Batcher
 */
public final class ZeroShotEngine {
  private final ModelRegistry models;
  private final ImageDecoder decoder;
  private final PreprocessExecutor executor;
  private final LabelEmbeddingCache labelCache;
  private final LabelSetStore labelSets;
  private final StageTimer timer;

  public ZeroShotEngine(
      ModelRegistry models,
      ImageDecoder decoder,
      PreprocessExecutor executor,
      LabelEmbeddingCache labelCache,
      LabelSetStore labelSets,
      StageTimer timer) {
    this.models = requireNonNull(models, "models");
    this.decoder = requireNonNull(decoder, "decoder");
    this.executor = requireNonNull(executor, "executor");
    this.labelCache = requireNonNull(labelCache, "labelCache");
    this.labelSets = requireNonNull(labelSets, "labelSets");
    this.timer = requireNonNull(timer, "timer");
  }

  /**
   * Classifies an image or a text. An image's place in the image batcher is taken before anything
   * else, so a call the queue cannot take is refused before its labels are encoded or it is
   * decoded.
   *
   * @param deadline {@code System.nanoTime()} after which the work is not worth doing ({@code
   *     Long.MAX_VALUE}: none)
   */
  public CompletableFuture<Classification> classify(ClassifyQuery query, long deadline)
      throws UnknownModelException, ModelNotReadyException, UnknownLabelSetException {
    ServedModel served = models.require(query.model());
    CancelScope scope = new CancelScope();
    CompletableFuture<List<float[]>> input;
    CompletableFuture<ScoringLabels> labels;
    if (query.input() instanceof ImageInput image) {
      Batcher<float[], float[]>.Announcement coming = served.images().announce(1);
      try {
        labels = labels(served, query.candidates(), deadline);
      } catch (UnknownLabelSetException | RuntimeException e) {
        coming.withdraw();
        throw e;
      }
      input = encodeImages(coming, scope, () -> List.of(tensor(served, image, "image")), deadline);
    } else {
      String text = ((ClassifyQuery.Text) query.input()).text();
      labels = labels(served, query.candidates(), deadline);
      input = scope.add(served.texts().submit(List.of(text), deadline));
    }
    return scope.guard(
        CancelScope.both(
            input, labels, (vector, matrix) -> score(served, vector.get(0), matrix, query)));
  }

  /** The candidates' vectors: a named set's matrix, or the call's prompts from the cache. */
  private CompletableFuture<ScoringLabels> labels(
      ServedModel served, Candidates candidates, long deadline) throws UnknownLabelSetException {
    if (candidates instanceof Candidates.Named named) {
      return CompletableFuture.completedFuture(
          labelSets.require(served.manifest().name(), named.name()));
    }
    Candidates.AdHoc adHoc = (Candidates.AdHoc) candidates;
    return labelCache
        .embed(served, adHoc.template().applyAll(adHoc.labels()), deadline)
        .thenApply(v -> new LabelMatrix(adHoc.labels(), v.toArray(float[][]::new)));
  }

  public CompletableFuture<Embeddings> embedImages(
      String model, List<ImageInput> images, long deadline)
      throws UnknownModelException, ModelNotReadyException {
    ServedModel served = models.require(model);
    CancelScope scope = new CancelScope();
    CompletableFuture<List<float[]>> vectors =
        encodeImages(
            served.images().announce(images.size()),
            scope,
            () -> {
              List<float[]> out = new ArrayList<>(images.size());
              for (int i = 0; i < images.size(); i++) {
                out.add(tensor(served, images.get(i), "images[" + i + "]"));
              }
              return out;
            },
            deadline);
    return scope.guard(
        vectors.thenApply(v -> new Embeddings(served.manifest(), v.toArray(float[][]::new))));
  }

  public CompletableFuture<Embeddings> embedTexts(String model, List<String> texts, long deadline)
      throws UnknownModelException, ModelNotReadyException {
    ServedModel served = models.require(model);
    CancelScope scope = new CancelScope();
    return scope.guard(
        scope
            .add(served.texts().submit(texts, deadline))
            .thenApply(v -> new Embeddings(served.manifest(), v.toArray(float[][]::new))));
  }

  /**
   * Decodes and preprocesses on the preprocessing pool, then queues the tensors in the image
   * batcher. The images were announced to the batcher (which admitted them), so that a forming
   * batch waits for them and only for them (see {@link zeroshot.server.batching.BatchWait}).
   */
  private CompletableFuture<List<float[]>> encodeImages(
      Batcher<float[], float[]>.Announcement coming,
      CancelScope scope,
      Callable<List<float[]>> tensors,
      long deadline) {
    return scope
        .add(executor.submit(tensors))
        .whenComplete(
            (t, failure) -> {
              if (failure != null) {
                coming.withdraw();
              }
            })
        .thenCompose(t -> scope.add(coming.submit(t, deadline)));
  }

  private Classification score(
      ServedModel served, float[] input, ScoringLabels labels, ClassifyQuery query) {
    float[] cosines;
    try {
      cosines = labels.cosines(input);
    } catch (LabelVectors.ReleasedException e) {
      // The named set was replaced while this call ran: score against the one now stored.
      labels = current((EncodedLabelSet) labels);
      cosines = labels.cosines(input);
    }
    Scoring scoring = served.manifest().scoring();
    List<ScoredLabel> scores = Scorer.topK(cosines, scoring, query.topK());
    Optional<Float> minScore = query.minScore();
    if (minScore.isPresent()) {
      // A softmax probability depends on the other candidates, so a softmax model's threshold is
      // on the cosine; a sigmoid probability is the label's own, so the threshold is on it.
      boolean byProbability = scoring.kind() == Scoring.Kind.SIGMOID;
      float min = minScore.get();
      scores =
          scores.stream()
              .filter(s -> (byProbability ? s.probability() : s.cosine()) >= min)
              .toList();
    }
    return new Classification(
        served.manifest(),
        labels.labels(),
        scores,
        minScore.isPresent() && scores.isEmpty(),
        unknownWordWarnings(served, labels.labels()));
  }

  /** A warning for each label with words the model does not know, naming them. */
  private static List<String> unknownWordWarnings(ServedModel served, List<String> labels) {
    List<String> warnings = new ArrayList<>();
    for (String label : labels) {
      List<String> unknown = served.model().unknownWords(label);
      if (!unknown.isEmpty()) {
        warnings.add(
            "label \""
                + Echo.value(label)
                + "\": model "
                + served.manifest().name()
                + " does not know "
                + (unknown.size() == 1 ? "the word " : "the words ")
                + String.join(", ", unknown.stream().map(w -> "\"" + Echo.value(w) + "\"").toList())
                + "; unknown words all embed alike, so labels made only of them score alike");
      }
    }
    return warnings;
  }

  private EncodedLabelSet current(EncodedLabelSet replaced) {
    LabelSetDefinition d = replaced.definition();
    return labelSets
        .get(d.model(), d.name())
        .orElseThrow(
            () ->
                new CompletionException(
                    new UnknownLabelSetException(d.model(), d.name(), List.of())));
  }

  private float[] tensor(ServedModel served, ImageInput image, String field)
      throws InvalidFieldException {
    long start = System.nanoTime();
    ImageEncoderSpec spec = served.manifest().image();
    try {
      DecodedImage decoded =
          image instanceof ImageInput.Raw raw
              ? decoder.fromRawPixels(raw.pixels(), raw.width(), raw.height(), raw.channels())
              : decoder.decode(
                  ((ImageInput.Encoded) image).bytes(),
                  spec.preprocessMode(),
                  spec.preprocess().geometry());
      float[] tensor = served.preprocessor().toTensor(decoded);
      timer.preprocessed(served.manifest().name(), System.nanoTime() - start);
      return tensor;
    } catch (InvalidImageException e) {
      throw new InvalidFieldException(field, e);
    }
  }
}
