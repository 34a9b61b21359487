package zeroshot.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import zeroshot.server.labels.LabelSetLimits;
import zeroshot.server.model.DeviceSpec;
import zeroshot.server.model.image.PreprocessMode;

/** The builder sets every component, and a configuration's builder keeps every one. */
class ServerConfigTest {

  @Test
  void toBuilderKeepsEveryValue() {
    ServerConfig c = everyValueSet();

    ServerConfig moved = c.toBuilder().port(7001).build();

    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(moved.port()).isEqualTo(7001);
    assertThat(moved.toBuilder().port(7000).build()).isEqualTo(c);
  }

  @Test
  void theBuilderSetsEveryComponent() {
    ServerConfig c = everyValueSet();

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(7000);
    assertThat(c.modelDirs()).containsExactly(Path.of("a"), Path.of("b"));
    assertThat(c.device()).isEqualTo(DeviceSpec.gpu(1));
    assertThat(c.preprocessThreads()).isEqualTo(3);
    assertThat(c.maxQueuedRequests()).isEqualTo(17);
    assertThat(c.limits().maxLabels()).isEqualTo(9);
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.preprocessMode()).contains(PreprocessMode.FAST);
    assertThat(c.preprocessModeFor("b")).contains(PreprocessMode.EXACT);
    assertThat(c.labels().cacheBytes()).isEqualTo(1 << 20);
    assertThat(c.metricsPort()).isEqualTo(-1);
    assertThat(c.maxConnectionAge()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.security().healthPort()).isEqualTo(7002);
    assertThat(c.metricsHost()).isEqualTo("127.0.0.2");
    assertThat(c.httpPort()).isEqualTo(7003);
  }

  @Test
  void anUnsetMetricsHostFollowsTheHostThroughToBuilder() {
    ServerConfig c = ServerConfig.builder().host("127.0.0.1").build();

    assertThat(c.metricsHost()).isEqualTo("127.0.0.1");
    assertThat(c.toBuilder().host("10.0.0.1").build().metricsHost()).isEqualTo("10.0.0.1");
  }

  @Test
  void buildValidatesAsTheConstructorDoes() {
    assertThatThrownBy(() -> ServerConfig.builder().port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> ServerConfig.builder().modelDirs(List.of()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("modelDirs: none (expected: at least one model dir)");
  }

  private static ServerConfig everyValueSet() {
    return ServerConfig.builder()
        .host("127.0.0.1")
        .port(7000)
        .modelDirs(List.of(Path.of("a"), Path.of("b")))
        .device(DeviceSpec.gpu(1))
        .preprocessThreads(3)
        .maxQueuedRequests(17)
        .limits(new Limits(1 << 20, 1 << 20, 9, 100, 100, 8, 2 << 20))
        .shutdownGrace(Duration.ofSeconds(2))
        .modelOption(ModelOption.PREPROCESS_MODE, PreprocessMode.FAST)
        .perModel(Map.of("b", ModelSettings.parse("b", Map.of("preprocess-mode", "exact"))))
        .labels(new LabelSettings(1 << 20, Optional.empty(), LabelSetLimits.defaults(100)))
        .metricsPort(-1)
        .maxConnectionAge(Duration.ofMinutes(1))
        .maxConnectionAgeGrace(Duration.ofSeconds(3))
        .security(
            new SecuritySettings(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 7002))
        .metricsHost("127.0.0.2")
        .httpPort(7003)
        .build();
  }
}
