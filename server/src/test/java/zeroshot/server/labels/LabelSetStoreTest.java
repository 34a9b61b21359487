package zeroshot.server.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.batching.TimeSource;
import zeroshot.server.messages.InvalidFieldException;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.Vectors;
import zeroshot.server.testing.FakeEmbeddingModel;

class LabelSetStoreTest {
  private static final long NONE = Long.MAX_VALUE;
  @TempDir Path dir;
  private FakeEmbeddingModel fake;
  private ServedModel served;

  @AfterEach
  void stop() {
    if (served != null) {
      served.shutdown();
    }
  }

  @Test
  void aLabelsVectorIsTheRenormalisedMeanOfItsPromptEmbeddings() throws Exception {
    LabelSetStore store = store(LabelSetFiles.none(), 10);
    LabelSetDefinition set =
        new LabelSetDefinition(
            "pets",
            "tiny-clip",
            List.of(
                new LabelSetDefinition.Entry(
                    "cat", List.of("kitten"), List.of("a tabby on a sofa")),
                new LabelSetDefinition.Entry("dog", List.of(), List.of())),
            List.of("a photo of a {}", "a drawing of a {}"));

    EncodedLabelSet encoded = store.put(served, set, NONE).get(10, TimeUnit.SECONDS).set();

    List<String> catPrompts =
        List.of(
            "a photo of a cat",
            "a photo of a kitten",
            "a drawing of a cat",
            "a drawing of a kitten",
            "a tabby on a sofa");
    float[] expected = new float[128];
    for (float[] v : fake.embedTexts(catPrompts)) {
      float[] unit = Vectors.normalize(v.clone());
      for (int i = 0; i < expected.length; i++) {
        expected[i] += unit[i] / catPrompts.size();
      }
    }
    Vectors.normalize(expected);
    assertThat(encoded.labels()).containsExactly("cat", "dog");
    // Both are unit vectors: a cosine of 1 means the stored row is the expected mean.
    assertThat(encoded.cosines(expected)[0]).isCloseTo(1f, within(1e-6f));
    assertThat(encoded.cosines(expected)[1]).isLessThan(0.99f);
    assertThat(encoded.promptCount()).isEqualTo(7);
  }

  @Test
  void putReplacesGetListAndDeleteWork() throws Exception {
    LabelSetStore store = store(LabelSetFiles.none(), 10);

    assertThat(store.put(served, simple("a", "x", "y"), NONE).get().replaced()).isFalse();
    assertThat(store.put(served, simple("a", "x", "y", "z"), NONE).get().replaced()).isTrue();
    store.put(served, simple("b", "q"), NONE).get();

    assertThat(store.require("tiny-clip", "a").labels()).containsExactly("x", "y", "z");
    assertThat(store.list("tiny-clip"))
        .extracting(s -> s.definition().name())
        .containsExactly("a", "b");
    store.delete("tiny-clip", "a");
    assertThatThrownBy(() -> store.require("tiny-clip", "a"))
        .isInstanceOf(UnknownLabelSetException.class)
        .hasMessage("label set 'a' for model 'tiny-clip': unknown (expected one of: b)");
  }

  @Test
  void aReplacedSetsVectorsAreReleased() throws Exception {
    LabelSetStore store = store(LabelSetFiles.none(), 10);
    EncodedLabelSet old = store.put(served, simple("a", "x"), NONE).get().set();

    store.put(served, simple("a", "y"), NONE).get();

    assertThatThrownBy(() -> old.cosines(new float[128]))
        .isInstanceOf(zeroshot.server.model.LabelVectors.ReleasedException.class);
    assertThat(store.require("tiny-clip", "a").cosines(new float[128])).hasSize(1);
  }

  @Test
  void aNewSetBeyondTheLimitIsRefusedButAReplacementIsNot() throws Exception {
    LabelSetStore store = store(LabelSetFiles.none(), 2);
    store.put(served, simple("a", "x"), NONE).get();
    store.put(served, simple("b", "x"), NONE).get();

    assertThatThrownBy(() -> store.put(served, simple("c", "x"), NONE))
        .isInstanceOf(LabelSetLimitException.class)
        .hasMessageContaining("label sets: 2 held (expected: at most 2");
    assertThat(store.put(served, simple("b", "y"), NONE).get().replaced()).isTrue();
  }

  @Test
  void definitionsWrittenToTheDirectoryAreReadBack() throws Exception {
    LabelSetFiles files = LabelSetFiles.in(dir);
    LabelSetStore store = store(files, 10);
    LabelSetDefinition set =
        new LabelSetDefinition(
            "pets",
            "tiny-clip",
            List.of(new LabelSetDefinition.Entry("cat", List.of("kitten"), List.of("a tabby"))),
            List.of("a photo of a {}"));
    store.put(served, set, NONE).get();
    store.put(served, simple("gone", "x"), NONE).get();
    store.delete("tiny-clip", "gone");

    assertThat(LabelSetFiles.in(dir).readAll()).containsExactly(set);
  }

  @Test
  void dotAndDotDotAreNotNamesSoNothingIsWrittenForThem() throws Exception {
    LabelSetStore store = store(LabelSetFiles.in(dir), 10);

    for (String name : List.of(".", "..")) {
      assertThatThrownBy(() -> store.put(served, simple(name, "x"), NONE))
          .isInstanceOf(InvalidFieldException.class)
          .hasMessage(
              "label_set.name: \""
                  + name
                  + "\" (expected: 1 to 128 letters, digits, '.', '_' or '-', not \".\" or \"..\")");
    }
    assertThat(store.size()).isZero();
    assertThat(LabelSetFiles.in(dir).readAll()).isEmpty();
    assertThat(store.put(served, simple("...", "x"), NONE).get().replaced()).isFalse();
  }

  @Test
  void limitsNameTheFieldAndWhatWasExpected() {
    LabelSetLimits limits = new LabelSetLimits(10, 2, 1, 1, 20);
    assertThatThrownBy(() -> limits.check(simple("no space", "x")))
        .hasMessageStartingWith("label_set.name: \"no space\" (expected: 1 to 128 letters");
    assertThatThrownBy(() -> limits.check(simple("s")))
        .hasMessage("label_set.labels: 0 labels (expected: 1 to 2)");
    assertThatThrownBy(() -> limits.check(simple("s", "x", "x")))
        .hasMessage("label_set.labels[1].label: \"x\" repeats (expected: distinct labels)");
    assertThatThrownBy(() -> limits.check(simple("s", " ")))
        .hasMessage("label_set.labels[0].label: blank (expected: a non-blank text)");
    assertThatThrownBy(
            () ->
                limits.check(
                    new LabelSetDefinition(
                        "s",
                        "m",
                        List.of(new LabelSetDefinition.Entry("x", List.of(), List.of())),
                        List.of("no slot"))))
        .hasMessage(
            "label_set.prompt_templates[0]: \"no slot\" (expected: \"{}\" exactly once, e.g. \"a photo of a {}.\")");
    assertThatThrownBy(
            () ->
                limits.check(
                    new LabelSetDefinition(
                        "s",
                        "m",
                        List.of(new LabelSetDefinition.Entry("x", List.of("y", "z"), List.of())),
                        List.of())))
        .hasMessage("label_set.labels[0]: 2 synonyms and extra prompts (expected: at most 1)");
  }

  private LabelSetStore store(LabelSetFiles files, int maxSets) throws Exception {
    fake = new FakeEmbeddingModel(ManifestReader.read(TestModels.tinyClip()));
    served =
        ServedModel.of(
            fake,
            BatchingPolicy.of(8, Duration.ofMillis(1)),
            new QueuePolicy(1_000),
            TimeSource.SYSTEM);
    served.start();
    return new LabelSetStore(
        new LabelSetLimits(maxSets, 100, 10, 10, 256), new LabelEmbeddingCache(1 << 20), files);
  }

  private static LabelSetDefinition simple(String name, String... labels) {
    List<LabelSetDefinition.Entry> entries = new ArrayList<>();
    for (String l : labels) {
      entries.add(new LabelSetDefinition.Entry(l, List.of(), List.of()));
    }
    return new LabelSetDefinition(name, "tiny-clip", entries, List.of());
  }
}
