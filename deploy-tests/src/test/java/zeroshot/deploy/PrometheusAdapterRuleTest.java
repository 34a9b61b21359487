package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static zeroshot.deploy.Yaml2.at;
import static zeroshot.deploy.Yaml2.list;
import static zeroshot.deploy.Yaml2.map;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The prometheus-adapter rule shipped in monitoring/ serves the metric the chart's queue-depth HPA
 * asks for, per pod, summed over models and encoders.
 */
class PrometheusAdapterRuleTest {
  private static final String METRIC = "zeroshot_batch_queue_depth_items";
  private static Map<String, Object> rule;

  @BeforeAll
  static void readRule() throws IOException {
    Path file = RenderedChart.repoRoot().resolve("monitoring/prometheus-adapter/values.yaml");
    Object values = new Yaml().load(Files.readString(file, StandardCharsets.UTF_8));
    rule = map(list(at(values, "rules", "custom")).get(0));
  }

  @Test
  void servesTheMetricTheHpaAsksForUnderTheSameName() {
    Object hpaSpec =
        at(
            RenderedChart.render(
                    c -> c.set("autoscaling.enabled", true).set("autoscaling.metric", "queueDepth"))
                .get("HorizontalPodAutoscaler", RenderedChart.FULLNAME),
            "spec");
    Object metricName = at(map(list(at(hpaSpec, "metrics")).get(0)), "pods", "metric", "name");

    assertThat(metricName).isEqualTo(METRIC);
    assertThat(at(rule, "name", "as")).isEqualTo(METRIC);
    assertThat((String) rule.get("seriesQuery")).startsWith(METRIC + "{");
  }

  @Test
  void mapsNamespaceAndPodLabelsToTheirResources() {
    assertThat(at(rule, "resources", "overrides", "namespace", "resource")).isEqualTo("namespace");
    assertThat(at(rule, "resources", "overrides", "pod", "resource")).isEqualTo("pod");
  }

  /** The query as the adapter runs it for two pods sums each pod's queues and keeps pods apart. */
  @Test
  void queryGivesOneSumPerPod(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/promtool")),
        "promtool not installed (apt-get install --no-install-recommends prometheus)");
    String query =
        ((String) rule.get("metricsQuery"))
            .replace("<<.Series>>", METRIC)
            .replace("<<.LabelMatchers>>", "namespace=\"ml\",pod=~\"zs-a|zs-b\"")
            .replace("<<.GroupBy>>", "pod");
    String test =
        """
        rule_files: []
        tests:
          - interval: 1m
            input_series:
              - series: 'SERIES{namespace="ml",pod="zs-a",model="tiny-clip",encoder="image"}'
                values: '3x5'
              - series: 'SERIES{namespace="ml",pod="zs-a",model="tiny-clip",encoder="text"}'
                values: '2x5'
              - series: 'SERIES{namespace="ml",pod="zs-b",model="tiny-clip",encoder="image"}'
                values: '7x5'
              - series: 'SERIES{namespace="other",pod="zs-a",model="tiny-clip",encoder="image"}'
                values: '100x5'
            promql_expr_test:
              - expr: 'QUERY'
                eval_time: 2m
                exp_samples:
                  - labels: '{pod="zs-a"}'
                    value: 5
                  - labels: '{pod="zs-b"}'
                    value: 7
        """
            .replace("SERIES", METRIC)
            .replace("QUERY", query);
    Path file = dir.resolve("adapter.test.yml");
    Files.writeString(file, test);

    Processes.Result result =
        Processes.run(List.of("/usr/bin/promtool", "test", "rules", file.toString()), null, 60);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
