package zeroshot.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.TestModels;

/** The block logged when the server is ready names the ports it bound, not the ones asked for. */
class StartupSummaryTest {

  @Test
  void anyFreeMetricsPortIsShownAsThePortBound() throws Exception {
    ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).metricsPort(0).build();

    String summary = StartupSummary.describe(config, registry(), 2, 50_123, 41_000, 43_210);

    assertThat(summary)
        .contains("  gRPC      127.0.0.1:50123 (health, reflection v1)")
        .contains("  HTTP      http://127.0.0.1:41000/ (JSON API; the playground at /)")
        .contains("  metrics   http://127.0.0.1:43210/metrics");
  }

  @Test
  void metricsOffAreShownAsOff() throws Exception {
    ServerConfig config = ServerConfig.builder().metricsPort(-1).build();

    assertThat(StartupSummary.describe(config, registry(), 2, 50_051, -1, -1))
        .contains("  metrics   off")
        .contains("  HTTP      off");
  }

  private static ModelRegistry registry() throws Exception {
    return new ModelRegistry(List.of(ManifestReader.read(TestModels.tinyClip())));
  }
}
