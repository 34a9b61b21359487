package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.config.Limits;
import zeroshot.server.config.ModelOption;
import zeroshot.server.config.ModelSettings;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.model.ModelLoader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.image.JpegFiles;
import zeroshot.server.model.image.PreprocessMode;
import zeroshot.server.model.image.TurboJpegInstalled;
import zeroshot.server.testing.FakeEmbeddingModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.ListModelsRequest;

/**
 * {@code --preprocess-mode} replaces every model's own mode unless the model has its own entry
 * ({@code model.NAME.preprocess-mode}), and a fast server classifies JPEGs.
 */
class PreprocessModeOverGrpcTest {
  private static final ServerConfig CONFIG =
      RunningServer.config(
          List.of(TestModels.tinyClip()), 1, 8, Limits.defaults(), Duration.ofSeconds(1));

  @Test
  void modelsKeepTheirManifestsModeByDefault() throws Exception {
    List<ModelManifest> loaded = new CopyOnWriteArrayList<>();
    try (RunningServer running = RunningServer.ready(CONFIG, fake(loaded))) {
      assertThat(loaded).singleElement().satisfies(this::isExact);
    }
  }

  @EnabledIf(
      value = "zeroshot.server.model.image.TurboJpegInstalled#check",
      disabledReason = TurboJpegInstalled.MISSING)
  @Test
  void theServerOptionSetsEveryModelToFastAndAPhotoIsClassified() throws Exception {
    List<ModelManifest> loaded = new CopyOnWriteArrayList<>();
    // An 84x84 sample at 16 times its size: fast mode decodes it at 1/8 for the 32 px model.
    byte[] photo = JpegFiles.scaled(TinyClipOverGrpcTest.sample("fashion_0_00059.jpg"), 1344, 1344);

    try (RunningServer running = RunningServer.ready(fast(), fake(loaded))) {
      ClassifyResponse response =
          running
              .blocking()
              .classify(TinyClipOverGrpcTest.request(photo, List.of("a", "b"), "{}", 1));

      assertThat(loaded)
          .singleElement()
          .satisfies(m -> assertThat(m.image().preprocessMode()).isEqualTo(PreprocessMode.FAST));
      assertThat(response.getScoresList()).hasSize(1);
      assertThat(
              running
                  .blocking()
                  .listModels(ListModelsRequest.getDefaultInstance())
                  .getModels(0)
                  .getPreprocessMode())
          .isEqualTo("fast");
    }
  }

  @Test
  void aModelsOwnEntryBeatsTheServerOption() throws Exception {
    List<ModelManifest> loaded = new CopyOnWriteArrayList<>();
    ServerConfig fast = fast();
    ServerConfig exactForTinyClip =
        fast.toBuilder()
            .perModel(
                Map.of(
                    "tiny-clip",
                    ModelSettings.parse("tiny-clip", Map.of("preprocess-mode", "exact"))))
            .build();

    try (RunningServer running = RunningServer.ready(exactForTinyClip, fake(loaded))) {
      assertThat(loaded).singleElement().satisfies(this::isExact);
    }
  }

  /** The server option {@code --preprocess-mode fast}: every model fast. */
  private static ServerConfig fast() {
    return CONFIG.toBuilder().modelOption(ModelOption.PREPROCESS_MODE, PreprocessMode.FAST).build();
  }

  private void isExact(ModelManifest m) {
    assertThat(m.image().preprocessMode()).isEqualTo(PreprocessMode.EXACT);
  }

  private static ModelLoader fake(List<ModelManifest> loaded) {
    return (manifest, device) -> {
      loaded.add(manifest);
      return new FakeEmbeddingModel(manifest);
    };
  }
}
