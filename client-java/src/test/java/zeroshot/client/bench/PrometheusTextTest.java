package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void readsNamesLabelsAndValuesAndSkipsComments() {
    String text =
        """
        # HELP zeroshot_batch_size_items Items per model call
        # TYPE zeroshot_batch_size_items histogram
        zeroshot_batch_size_items_bucket{encoder="image",model="tiny-clip",le="+Inf"} 12.0
        zeroshot_batch_size_items_count{encoder="image",model="tiny-clip",} 12.0
        process_uptime_seconds 3.5
        weird{path="a \\"quoted\\" \\\\ name",x="1"} NaN 1700000000000
        broken{unterminated="x 1
        """;

    List<PrometheusText.Sample> samples = PrometheusText.parse(text);

    assertThat(samples)
        .extracting(PrometheusText.Sample::name)
        .containsExactly(
            "zeroshot_batch_size_items_bucket",
            "zeroshot_batch_size_items_count",
            "process_uptime_seconds",
            "weird");
    assertThat(samples.get(0).labels())
        .isEqualTo(Map.of("encoder", "image", "model", "tiny-clip", "le", "+Inf"));
    assertThat(samples.get(0).value()).isEqualTo(12.0);
    assertThat(samples.get(2).labels()).isEmpty();
    assertThat(samples.get(2).value()).isEqualTo(3.5);
    assertThat(samples.get(3).labels()).containsEntry("path", "a \"quoted\" \\ name");
    assertThat(samples.get(3).value()).isNaN();
  }
}
