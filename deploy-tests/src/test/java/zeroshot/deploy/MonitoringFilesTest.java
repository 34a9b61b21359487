package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.deploy.Yaml2.map;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart ships copies of the dashboard and alert rules (Helm cannot read files outside the
 * chart); these tests keep the copies byte-equal to the monitoring/ originals. After editing an
 * original: cp monitoring/grafana/zeroshot-serve.json monitoring/prometheus/zeroshot-alerts.yml
 * helm/zeroshot-serve/files/
 */
class MonitoringFilesTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "monitoring/grafana/zeroshot-serve.json, helm/zeroshot-serve/files/zeroshot-serve.json",
    "monitoring/prometheus/zeroshot-alerts.yml, helm/zeroshot-serve/files/zeroshot-alerts.yml"
  })
  void chartCopyIsByteEqualToTheOriginal(String original, String copy) throws IOException {
    Path root = RenderedChart.repoRoot();
    byte[] expected = Files.readAllBytes(root.resolve(original));
    byte[] actual = Files.readAllBytes(root.resolve(copy));

    assertThat(actual)
        .as("%s differs from %s; run: cp %s %s", copy, original, original, copy)
        .isEqualTo(expected);
  }

  @Test
  void dashboardConfigMapHoldsTheDashboardJsonUnchanged() throws IOException {
    Map<String, Object> configMap =
        RenderedChart.render(c -> c.set("dashboard.enabled", true))
            .get("ConfigMap", RenderedChart.FULLNAME + "-dashboard");
    String json =
        Files.readString(
            RenderedChart.repoRoot().resolve("monitoring/grafana/zeroshot-serve.json"),
            StandardCharsets.UTF_8);

    assertThat(map(configMap.get("data")).get("zeroshot-serve.json"))
        .isEqualTo(json.stripTrailing());
  }

  @Test
  void prometheusRuleSpecIsTheAlertRulesFile() throws IOException {
    Map<String, Object> rule =
        RenderedChart.render(c -> c.set("prometheusRule.enabled", true))
            .get("PrometheusRule", RenderedChart.FULLNAME);
    Object alerts =
        new Yaml()
            .load(
                Files.readString(
                    RenderedChart.repoRoot().resolve("monitoring/prometheus/zeroshot-alerts.yml")));

    assertThat(rule.get("spec")).isEqualTo(alerts);
    assertThat(map(rule.get("spec"))).containsOnlyKeys("groups");
  }
}
