package zeroshot.server.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.batching.TimeSource;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;

/** The cache in front of a fake model's text batcher: the fake counts what reaches it. */
class LabelEmbeddingCacheTest {
  private static final long NONE = Long.MAX_VALUE;
  private FakeEmbeddingModel fake;
  private ServedModel served;

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.open();
    }
    if (served != null) {
      served.shutdown();
    }
  }

  @Test
  void aRepeatedCallDoesNoTextEncoding() throws Exception {
    LabelEmbeddingCache cache = new LabelEmbeddingCache(1 << 20);
    serve("1.0.0");
    List<String> prompts = List.of("a photo of a cat", "a photo of a dog");

    List<float[]> first = cache.embed(served, prompts, NONE).get(10, TimeUnit.SECONDS);
    List<float[]> second = cache.embed(served, prompts, NONE).get(10, TimeUnit.SECONDS);

    assertThat(fake.embeddedTexts()).containsExactlyElementsOf(prompts);
    assertThat(second.get(0)).isSameAs(first.get(0));
    assertThat(cache.stats().hitCount()).isEqualTo(2);
  }

  @Test
  void onlyTheMissesOfACallAreEncoded() throws Exception {
    LabelEmbeddingCache cache = new LabelEmbeddingCache(1 << 20);
    serve("1.0.0");
    cache.embed(served, List.of("a cat"), NONE).get(10, TimeUnit.SECONDS);

    cache.embed(served, List.of("a cat", "a dog", "a bird"), NONE).get(10, TimeUnit.SECONDS);

    assertThat(fake.embeddedTexts()).containsExactly("a cat", "a dog", "a bird");
  }

  @Test
  void concurrentIdenticalMissesAreEncodedOnce() throws Exception {
    LabelEmbeddingCache cache = new LabelEmbeddingCache(1 << 20);
    serve("1.0.0");
    CountDownLatch entered = fake.closeGate(1);

    CompletableFuture<List<float[]>> a = cache.embed(served, List.of("a zebra"), NONE);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<List<float[]>> b = cache.embed(served, List.of("a zebra"), NONE);
    fake.open();

    assertThat(b.get(10, TimeUnit.SECONDS).get(0)).isSameAs(a.get(10, TimeUnit.SECONDS).get(0));
    assertThat(fake.embeddedTexts()).containsExactly("a zebra");
  }

  @Test
  void evictionKeepsTheCacheWithinItsBound() throws Exception {
    long bound = 20L * (LabelEmbeddingCache.ENTRY_OVERHEAD_BYTES + 2 * 12 + 4 * 128);
    LabelEmbeddingCache cache = new LabelEmbeddingCache(bound);
    serve("1.0.0");

    for (int i = 0; i < 100; i++) {
      cache.embed(served, List.of(String.format("label %05d", i)), NONE).get(10, TimeUnit.SECONDS);
    }
    cache.cleanUp();

    assertThat(cache.weightBytes()).isLessThanOrEqualTo(bound);
    assertThat(cache.size()).isBetween(1L, 20L);
    assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(80);
  }

  @Test
  void anotherTemplateOrModelVersionIsAnotherEntry() throws Exception {
    LabelEmbeddingCache cache = new LabelEmbeddingCache(1 << 20);
    serve("1.0.0");
    ServedModel v1 = served;
    PromptTemplate photo = PromptTemplate.parse("a photo of a {}");
    PromptTemplate plain = PromptTemplate.parse("a {}");

    cache.embed(v1, photo.applyAll(List.of("cat")), NONE).get(10, TimeUnit.SECONDS);
    cache.embed(v1, plain.applyAll(List.of("cat")), NONE).get(10, TimeUnit.SECONDS);
    FakeEmbeddingModel first = fake;
    serve("2.0.0");
    cache.embed(served, photo.applyAll(List.of("cat")), NONE).get(10, TimeUnit.SECONDS);
    v1.shutdown();

    assertThat(first.embeddedTexts()).containsExactly("a photo of a cat", "a cat");
    assertThat(fake.embeddedTexts()).containsExactly("a photo of a cat");
    assertThat(cache.size()).isEqualTo(3);
  }

  private void serve(String version) throws Exception {
    ModelManifest m = ManifestReader.read(TestModels.tinyClip());
    ModelManifest manifest =
        new ModelManifest(
            m.directory(),
            m.name(),
            version,
            m.family(),
            m.embeddingDim(),
            m.scoring(),
            m.image(),
            m.text());
    fake = new FakeEmbeddingModel(manifest);
    served =
        ServedModel.of(
            fake,
            BatchingPolicy.of(8, Duration.ofMillis(1)),
            new QueuePolicy(1_000),
            TimeSource.SYSTEM);
    served.start();
  }

  static List<String> numbered(int n) {
    return IntStream.range(0, n).mapToObj(i -> "label " + i).toList();
  }
}
