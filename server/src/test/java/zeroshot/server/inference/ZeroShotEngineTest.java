package zeroshot.server.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueueFullException;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.batching.TimeSource;
import zeroshot.server.config.Limits;
import zeroshot.server.labels.LabelEmbeddingCache;
import zeroshot.server.labels.LabelSetFiles;
import zeroshot.server.labels.LabelSetLimits;
import zeroshot.server.labels.LabelSetStore;
import zeroshot.server.labels.PromptTemplate;
import zeroshot.server.labels.UnknownLabelSetException;
import zeroshot.server.messages.InvalidFieldException;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelExecutionException;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ModelNotReadyException;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.testing.FakeEmbeddingModel;

/**
 * The engine on a fake model, its batchers driven step by step from the test thread ({@code
 * runOnce}, no worker threads) and its one preprocessing thread held with a latch where a test
 * needs work to wait: a call's places in the image queue are taken before anything runs and given
 * back however it fails, a failure on one side fails the call at once, and a cancelled call's work
 * leaves every queue without reaching the model.
 */
@Timeout(30)
class ZeroShotEngineTest {
  private static final long NONE = Long.MAX_VALUE;

  /** Items each of the model's batcher queues takes (queued or announced). */
  private static final int PLACES = 4;

  private final CountDownLatch release = new CountDownLatch(1);
  private FakeEmbeddingModel fake;
  private ServedModel served;
  private ModelRegistry models;
  private PreprocessExecutor executor;
  private ZeroShotEngine engine;

  @BeforeEach
  void serve() throws Exception {
    ModelManifest manifest = ManifestReader.read(TestModels.tinyClip());
    fake = new FakeEmbeddingModel(manifest);
    // Not started: items wait in the batchers until a test runs a batch.
    served =
        ServedModel.of(
            fake, BatchingPolicy.of(8, Duration.ZERO), new QueuePolicy(PLACES), TimeSource.SYSTEM);
    models = new ModelRegistry(List.of(manifest));
    models.ready(served);
    executor = new PreprocessExecutor(1, 1);
    LabelEmbeddingCache cache = new LabelEmbeddingCache(1 << 20);
    engine =
        new ZeroShotEngine(
            models,
            new ImageDecoder(Limits.DEFAULT_MAX_IMAGE_PIXELS),
            executor,
            cache,
            new LabelSetStore(LabelSetLimits.defaults(256), cache, LabelSetFiles.none()),
            StageTimer.NONE);
  }

  @AfterEach
  void stop() {
    release.countDown();
    executor.close();
    served.shutdown();
  }

  @Test
  void aTextIsScoredAgainstItsLabelsWithItsPromptsInOneTextBatch() throws Exception {
    CompletableFuture<Classification> result =
        engine.classify(text("a red star", "red star", "blue square"), NONE);
    assertThat(served.texts().queued()).isEqualTo(3); // two prompts and the text

    served.texts().runOnce();

    Classification c = result.get(10, TimeUnit.SECONDS);
    assertThat(c.labels()).containsExactly("red star", "blue square");
    assertThat(c.scores().get(0).index()).isZero();
    assertThat(c.scores().get(0).cosine()).isCloseTo(1f, within(1e-5f));
    assertThat(fake.textCalls()).isEqualTo(1);
  }

  @Test
  void anImageIsPreprocessedOnThePoolThenBatchedAndScored() throws Exception {
    CompletableFuture<Classification> result =
        engine.classify(image(pixels(), "red star", "blue square"), NONE);

    served.texts().runOnce();
    served.images().runOnce(); // waits for the tensor the pool submits

    assertThat(result.get(10, TimeUnit.SECONDS).scores()).hasSize(2);
    assertThat(fake.imageCalls()).isEqualTo(1);
  }

  @Test
  void aCallTheImageQueueCannotTakeIsRefusedBeforeItsLabelsAreEncoded() throws Exception {
    served.images().announce(PLACES);

    assertThatThrownBy(() -> engine.classify(image(pixels(), "red star"), NONE))
        .isInstanceOf(QueueFullException.class);
    assertThat(served.texts().queued()).isZero();
    assertThat(executor.queued()).isZero();
  }

  @Test
  void anUnknownLabelSetGivesTheImagesPlaceBack() throws Exception {
    ClassifyQuery query =
        new ClassifyQuery(
            "", new ImageInput.Raw(pixels(), 32, 32, 3), new Candidates.Named("nope"), 0, none());

    assertThatThrownBy(() -> engine.classify(query, NONE))
        .isInstanceOf(UnknownLabelSetException.class);
    assertAllImagePlacesFree();
  }

  @Test
  void anImageThatDoesNotDecodeFailsNamingTheFieldAndGivesItsPlaceBack() throws Exception {
    CompletableFuture<Classification> result =
        engine.classify(
            new ClassifyQuery(
                "", new ImageInput.Encoded(new byte[] {1, 2, 3}), labels("red star"), 0, none()),
            NONE);

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("image"));
    assertAllImagePlacesFree();
  }

  @Test
  void aFullPreprocessingPoolRefusesTheCallAndGivesTheImagesPlaceBack() throws Exception {
    holdThePreprocessThread();
    executor.submit(() -> "fills the queue");

    CompletableFuture<Classification> result = engine.classify(image(pixels(), "red star"), NONE);

    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::join).hasCauseInstanceOf(OverloadedException.class);
    assertAllImagePlacesFree();
  }

  @Test
  void cancellingACallWhoseImageWaitsForThePoolRemovesItThereAndGivesItsPlaceBack()
      throws Exception {
    holdThePreprocessThread();
    CompletableFuture<Classification> result = engine.classify(image(pixels(), "red star"), NONE);
    assertThat(executor.queued()).isEqualTo(1);

    result.cancel(false);

    assertThat(executor.queued()).isZero();
    assertAllImagePlacesFree();
    release.countDown();
    assertThat(executor.drain(Duration.ofSeconds(10))).isTrue();
    assertThat(served.images().queued()).isZero();
    assertThat(fake.imageCalls()).isZero();
  }

  @Test
  void cancellingATextCallDropsItsTextButNotTheLabelLoadOtherCallsMayShare() throws Exception {
    CompletableFuture<Classification> result =
        engine.classify(text("a purring animal", "cat", "dog"), NONE);
    assertThat(served.texts().queued()).isEqualTo(3);

    result.cancel(false);

    assertThat(served.texts().queued()).isEqualTo(2);
    served.texts().runOnce();
    assertThat(fake.embeddedTexts()).containsExactly("a cat", "a dog"); // the prompts, cached
  }

  @Test
  void whenTheLabelsFailTheCallFailsAtOnceAndItsImageIsNeverPreprocessed() throws Exception {
    holdThePreprocessThread();
    CompletableFuture<Classification> result = engine.classify(image(pixels(), "red star"), NONE);
    assertThat(executor.queued()).isEqualTo(1);
    fake.failing(true);

    served.texts().runOnce();

    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::join).hasCauseInstanceOf(ModelExecutionException.class);
    assertThat(executor.queued()).isZero();
    assertAllImagePlacesFree();
  }

  @Test
  void aModelNotReadyFailsOnTheCallersThreadWithNothingQueued() throws Exception {
    ModelManifest manifest = ManifestReader.read(TestModels.tinyClip());
    ZeroShotEngine loading =
        new ZeroShotEngine(
            new ModelRegistry(List.of(manifest)),
            new ImageDecoder(Limits.DEFAULT_MAX_IMAGE_PIXELS),
            executor,
            new LabelEmbeddingCache(1 << 20),
            new LabelSetStore(
                LabelSetLimits.defaults(256),
                new LabelEmbeddingCache(1 << 20),
                LabelSetFiles.none()),
            StageTimer.NONE);

    assertThatThrownBy(() -> loading.classify(image(pixels(), "red star"), NONE))
        .isInstanceOf(ModelNotReadyException.class);
    assertThat(executor.queued()).isZero();
  }

  @Test
  void anEmbedCallWithOneImageThatDoesNotDecodeGivesBackEveryPlaceItTook() throws Exception {
    CompletableFuture<Embeddings> result =
        engine.embedImages(
            "",
            List.of(new ImageInput.Raw(pixels(), 32, 32, 3), new ImageInput.Encoded(new byte[1])),
            NONE);

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("images[1]"));
    assertAllImagePlacesFree();
    assertThat(served.images().queued()).isZero();
  }

  @Test
  void cancellingAnEmbedTextsCallDropsItsTexts() throws Exception {
    CompletableFuture<Embeddings> result = engine.embedTexts("", List.of("a", "b"), NONE);
    assertThat(served.texts().queued()).isEqualTo(2);

    result.cancel(false);

    assertThat(served.texts().queued()).isZero();
  }

  /** Fails unless every place of the image queue can be taken: none leaked. */
  private void assertAllImagePlacesFree() {
    served.images().announce(PLACES).withdraw();
  }

  /** Occupies the pool's one thread until {@link #release} opens. */
  private void holdThePreprocessThread() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    executor.submit(
        () -> {
          running.countDown();
          release.await();
          return null;
        });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
  }

  private static ClassifyQuery text(String text, String... labels) {
    return new ClassifyQuery("", new ClassifyQuery.Text(text), labels(labels), 0, none());
  }

  private static ClassifyQuery image(byte[] rgb, String... labels) {
    return new ClassifyQuery("", new ImageInput.Raw(rgb, 32, 32, 3), labels(labels), 0, none());
  }

  private static Candidates labels(String... labels) {
    return new Candidates.AdHoc(List.of(labels), PromptTemplate.parse("a {}"));
  }

  private static Optional<Float> none() {
    return Optional.empty();
  }

  /** A 32x32 RGB image, the tiny model's input size: a ramp, so that its vector is not zero. */
  private static byte[] pixels() {
    byte[] rgb = new byte[32 * 32 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i % 251);
    }
    return rgb;
  }
}
