package zeroshot.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;

/** The in-process pipeline on the fake model: it runs, counts, and fails loudly. */
class InProcessPipelineTest {

  private static final Duration SHORT = Duration.ofMillis(200);

  private static FakeEmbeddingModel model() throws Exception {
    return new FakeEmbeddingModel(ManifestReader.read(TestModels.tinyClip()));
  }

  private static byte[] sample() throws Exception {
    return Files.readAllBytes(
        TestModels.tinyClip().resolve("samples").resolve("shape_013_red_star.png"));
  }

  @Test
  void measuresImagesPerSecondInBatches() throws Exception {
    FakeEmbeddingModel model = model();

    double rate =
        new InProcessPipeline(model, List.of(sample())).imagesPerSecond(4, 2, SHORT, SHORT);

    assertThat(rate).isPositive();
    assertThat(model.imageCalls()).isPositive();
  }

  @Test
  void anUndecodableImageFailsTheMeasurement() throws Exception {
    InProcessPipeline pipeline = new InProcessPipeline(model(), List.of(new byte[] {1, 2, 3}));

    assertThatThrownBy(() -> pipeline.imagesPerSecond(1, 1, SHORT, SHORT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: decodable)");
  }

  @Test
  void rejectsABatchSizeOfZero() throws Exception {
    InProcessPipeline pipeline = new InProcessPipeline(model(), List.of(sample()));

    assertThatThrownBy(() -> pipeline.imagesPerSecond(0, 1, SHORT, SHORT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch 0, threads 1 (expected: both >= 1)");
  }
}
