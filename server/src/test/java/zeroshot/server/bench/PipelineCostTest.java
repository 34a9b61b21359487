package zeroshot.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;

/**
 * The cost comparison on fake models that advance an injected clock by a known amount per batch:
 * the ratios and medians are that arithmetic, the two models alternate, and bad input fails.
 */
class PipelineCostTest {

  private final AtomicLong clock = new AtomicLong();
  private final List<String> calls = new ArrayList<>();

  /** A fake model whose every image batch costs {@code nanos} on the injected clock. */
  private EmbeddingModel costing(String name, long nanos) throws Exception {
    ModelManifest manifest = ManifestReader.read(TestModels.tinyClip());
    FakeEmbeddingModel fake = new FakeEmbeddingModel(manifest);
    return new EmbeddingModel() {
      @Override
      public ModelManifest manifest() {
        return manifest;
      }

      @Override
      public String device() {
        return fake.device();
      }

      @Override
      public float[][] embedImages(List<float[]> pixels) {
        calls.add(name);
        clock.addAndGet(nanos);
        return fake.embedImages(pixels);
      }

      @Override
      public float[][] embedTexts(List<String> texts) {
        return fake.embedTexts(texts);
      }

      @Override
      public long[][] tokenize(List<String> texts) {
        return fake.tokenize(texts);
      }

      @Override
      public void close() {}
    };
  }

  private static byte[] sample() throws Exception {
    return Files.readAllBytes(
        TestModels.tinyClip().resolve("samples").resolve("shape_013_red_star.png"));
  }

  @Test
  void theRatioIsTheBaselinesCostOverTheModels() throws Exception {
    PipelineCost cost =
        new PipelineCost(
            costing("model", 4_000_000),
            costing("baseline", 3_000_000),
            List.of(sample()),
            clock::get);

    PipelineCost.Result result = cost.measure(2, 3, 8);

    // Decoding moves the fake clock by nothing, so the pipeline costs what the encoder costs.
    assertThat(result.pipelineRatio().median()).isCloseTo(0.75, within(1e-9));
    assertThat(result.encoderRatio().median()).isCloseTo(0.75, within(1e-9));
    assertThat(result.model().pipelineMs().median()).isCloseTo(4.0, within(1e-9));
    assertThat(result.baseline().encoderMs().q3()).isCloseTo(3.0, within(1e-9));
    assertThat(result.rounds()).isEqualTo(8);
  }

  @Test
  void theModelsTakeTurnsGoingFirst() throws Exception {
    PipelineCost cost =
        new PipelineCost(
            costing("model", 1), costing("baseline", 1), List.of(sample()), clock::get);

    cost.measure(1, 1, 4);

    // Round -1 (warm-up) is odd: the model first; then rounds 0..3 alternate from the baseline.
    assertThat(calls)
        .containsExactly(
            "model",
            "baseline",
            "baseline",
            "model",
            "model",
            "baseline",
            "baseline",
            "model",
            "model",
            "baseline");
  }

  @Test
  void anUndecodableImageFailsTheMeasurement() throws Exception {
    PipelineCost cost =
        new PipelineCost(
            costing("model", 1), costing("baseline", 1), List.of(new byte[] {1, 2, 3}), clock::get);

    assertThatThrownBy(() -> cost.measure(1, 0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: decodable)");
  }

  @Test
  void rejectsTooFewRoundsAndNoImages() throws Exception {
    PipelineCost cost =
        new PipelineCost(
            costing("model", 1), costing("baseline", 1), List.of(sample()), clock::get);

    assertThatThrownBy(() -> cost.measure(32, 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "batch 32, warm-up rounds 0, rounds 3 (expected: batch >= 1, warm-up >= 0, rounds >= 4)");
    assertThatThrownBy(
            () -> new PipelineCost(costing("m", 1), costing("b", 1), List.of(), clock::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("images: none (expected: at least one)");
  }
}
