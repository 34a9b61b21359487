package zeroshot.server.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestKeyTest {
  private static final List<String> KEYS =
      List.of("port", "host", "max-batch-size", "max-batch-items", "metrics-port");

  @Test
  void swappedMissingExtraAndWrongLettersEachCostOneEdit() {
    assertThat(NearestKey.distance("prot", "port")).isEqualTo(1);
    assertThat(NearestKey.distance("max-batch-szie", "max-batch-size")).isEqualTo(1);
    assertThat(NearestKey.distance("prt", "port")).isEqualTo(1);
    assertThat(NearestKey.distance("poort", "port")).isEqualTo(1);
    assertThat(NearestKey.distance("pork", "port")).isEqualTo(1);
    assertThat(NearestKey.distance("", "port")).isEqualTo(4);
    assertThat(NearestKey.distance("port", "port")).isZero();
  }

  @Test
  void theNearestKeyIsTheOneWithTheFewestEdits() {
    assertThat(NearestKey.of("prot", KEYS)).isEqualTo("port");
    assertThat(NearestKey.of("max-batch-szie", KEYS)).isEqualTo("max-batch-size");
    assertThat(NearestKey.of("max-batch-item", KEYS)).isEqualTo("max-batch-items");
    assertThat(NearestKey.of("metric-port", KEYS)).isEqualTo("metrics-port");
    assertThat(NearestKey.of("anything", List.of())).isNull();
  }
}
