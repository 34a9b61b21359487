package zeroshot.server.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zeroshot.server.ZeroShotServer;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;
import zeroshot.server.testing.RunningServer;

/** A per-model entry for a model that is not loaded stops the start, naming the nearest one. */
class PerModelNamesTest {

  @Test
  void aPerModelEntryForAModelThatIsNotLoadedStopsTheStart() throws Exception {
    ServerConfig c =
        RunningServer.config(
            List.of(TestModels.tinyClip()), 1, 8, Limits.defaults(), Duration.ofSeconds(1));
    ServerConfig typo =
        c.toBuilder()
            .perModel(
                Map.of("tiny-clp", ModelSettings.parse("tiny-clp", Map.of("max-batch-size", "4"))))
            .build();
    ZeroShotServer server =
        new ZeroShotServer(
            typo, RunningServer.runtime((manifest, device) -> new FakeEmbeddingModel(manifest)));

    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "model.tiny-clp.*: no model tiny-clp is loaded (nearest: tiny-clip; expected one of:"
                + " tiny-clip)");
    server.shutdown();
  }
}
