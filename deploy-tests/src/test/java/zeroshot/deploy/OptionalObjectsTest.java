package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.deploy.Yaml2.at;
import static zeroshot.deploy.Yaml2.list;
import static zeroshot.deploy.Yaml2.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Services always; ServiceMonitor, dashboard, PrometheusRule, HPA, PDB and PVC only when asked. */
class OptionalObjectsTest {

  private static final String FULLNAME = RenderedChart.FULLNAME;

  @Test
  void defaultsRenderOnlyTheDeploymentAndItsTwoServices() {
    assertThat(RenderedChart.render().kinds()).containsExactly("Deployment", "Service", "Service");
  }

  @Test
  void allOptionalRendersEveryOptionalObject() {
    assertThat(RenderedChart.render("all-optional.yaml").kinds())
        .containsExactlyInAnyOrder(
            "ConfigMap",
            "Deployment",
            "HorizontalPodAutoscaler",
            "NetworkPolicy",
            "PersistentVolumeClaim",
            "PodDisruptionBudget",
            "PrometheusRule",
            "Service",
            "Service",
            "ServiceMonitor");
  }

  @Test
  void serviceExposesGrpcMetricsAndHttpAndHeadlessServiceOnlyGrpc() {
    RenderedChart chart = RenderedChart.render();
    Map<String, Object> service = chart.get("Service", FULLNAME);
    Map<String, Object> headless = chart.get("Service", FULLNAME + "-headless");

    assertThat(list(at(service, "spec", "ports")))
        .extracting(p -> map(p).get("name") + ":" + map(p).get("port"))
        .containsExactly("grpc:50051", "metrics:9464", "http:8080");
    assertThat(at(headless, "spec", "clusterIP")).isEqualTo("None");
    assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(false);
    assertThat(list(at(headless, "spec", "ports")))
        .extracting(p -> map(p).get("name") + ":" + map(p).get("port"))
        .containsExactly("grpc:50051");
    assertThat(at(headless, "spec", "selector")).isEqualTo(at(service, "spec", "selector"));
    assertThat(at(service, "spec", "selector"))
        .isEqualTo(at(chart.deployment(), "spec", "selector", "matchLabels"));
  }

  @Test
  void serviceMonitorScrapesTheMetricsPortOfTheMainServiceWithTheReleaseLabel() {
    Map<String, Object> monitor =
        RenderedChart.render("all-optional.yaml").get("ServiceMonitor", FULLNAME);

    assertThat(map(at(monitor, "metadata", "labels")))
        .containsEntry("release", "kube-prometheus-stack");
    assertThat(map(at(monitor, "spec", "selector", "matchLabels")))
        .containsEntry("zeroshot.dev/service", "main");
    Map<String, Object> endpoint = map(list(at(monitor, "spec", "endpoints")).get(0));
    assertThat(endpoint).containsEntry("port", "metrics").containsEntry("path", "/metrics");
  }

  @Test
  void dashboardConfigMapCarriesTheGrafanaSidecarLabel() {
    Map<String, Object> configMap =
        RenderedChart.render("all-optional.yaml").get("ConfigMap", FULLNAME + "-dashboard");

    assertThat(map(at(configMap, "metadata", "labels"))).containsEntry("grafana_dashboard", "1");
    assertThat(map(at(configMap, "metadata", "annotations")))
        .containsEntry("grafana_folder", "ZeroShot");
    assertThat(map(configMap.get("data"))).containsOnlyKeys("zeroshot-serve.json");
  }

  @Test
  void queueDepthAutoscalingUsesThePodsMetricFromPrometheusAdapter() {
    Map<String, Object> hpa =
        RenderedChart.render("all-optional.yaml").get("HorizontalPodAutoscaler", FULLNAME);

    assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
    assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(FULLNAME);
    Map<String, Object> metric = map(list(at(hpa, "spec", "metrics")).get(0));
    assertThat(metric).containsEntry("type", "Pods");
    assertThat(at(metric, "pods", "metric", "name")).isEqualTo("zeroshot_batch_queue_depth_items");
    assertThat(at(metric, "pods", "target", "averageValue")).isEqualTo("32");
    assertThat(at(hpa, "spec", "behavior", "scaleDown", "stabilizationWindowSeconds"))
        .isEqualTo(300);
  }

  @Test
  void cpuAutoscalingTargetsAverageUtilization() {
    Map<String, Object> hpa =
        RenderedChart.render("init-container-model.yaml").get("HorizontalPodAutoscaler", FULLNAME);
    Map<String, Object> metric = map(list(at(hpa, "spec", "metrics")).get(0));

    assertThat(metric).containsEntry("type", "Resource");
    assertThat(at(metric, "resource", "name")).isEqualTo("cpu");
    assertThat(at(metric, "resource", "target", "averageUtilization")).isEqualTo(70);
  }

  @Test
  void podDisruptionBudgetSetsExactlyOneBound() {
    Map<String, Object> maxUnavailable =
        RenderedChart.render("all-optional.yaml").get("PodDisruptionBudget", FULLNAME);
    Map<String, Object> minAvailable =
        RenderedChart.render("init-container-model.yaml").get("PodDisruptionBudget", FULLNAME);

    assertThat(map(maxUnavailable.get("spec"))).containsEntry("maxUnavailable", 1);
    assertThat(map(maxUnavailable.get("spec"))).doesNotContainKey("minAvailable");
    assertThat(map(minAvailable.get("spec"))).containsEntry("minAvailable", "50%");
    assertThat(map(minAvailable.get("spec"))).doesNotContainKey("maxUnavailable");
  }

  @Test
  void eachOptionalObjectIsTiedToItsOwnSwitch() {
    List<String[]> switches =
        List.of(
            new String[] {"serviceMonitor.enabled", "ServiceMonitor"},
            new String[] {"dashboard.enabled", "ConfigMap"},
            new String[] {"prometheusRule.enabled", "PrometheusRule"},
            new String[] {"autoscaling.enabled", "HorizontalPodAutoscaler"},
            new String[] {"podDisruptionBudget.enabled", "PodDisruptionBudget"},
            new String[] {"networkPolicy.enabled", "NetworkPolicy"});
    for (String[] s : switches) {
      RenderedChart chart = RenderedChart.render(c -> c.set(s[0], true));
      assertThat(chart.kinds())
          .as(s[0])
          .containsExactlyInAnyOrder("Deployment", "Service", "Service", s[1]);
    }
  }

  @Test
  void networkPolicyOpensGrpcToAllAndMetricsOnlyToTheNamedPeers() {
    Map<String, Object> policy =
        RenderedChart.render("all-optional.yaml").get("NetworkPolicy", FULLNAME);
    Map<String, Object> none =
        RenderedChart.render(c -> c.set("networkPolicy.enabled", true))
            .get("NetworkPolicy", FULLNAME);

    List<Object> rules = list(at(policy, "spec", "ingress"));
    assertThat(rules).hasSize(2);
    assertThat(map(rules.get(0))).doesNotContainKey("from");
    // HTTP/JSON is the same API as gRPC: the same sources reach it.
    assertThat(list(map(rules.get(0)).get("ports")))
        .containsExactly(
            Map.of("port", "grpc", "protocol", "TCP"), Map.of("port", "http", "protocol", "TCP"));
    assertThat(list(map(rules.get(1)).get("ports")))
        .containsExactly(Map.of("port", "metrics", "protocol", "TCP"));
    assertThat(list(map(rules.get(1)).get("from")))
        .containsExactly(
            Map.of(
                "namespaceSelector",
                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring"))));
    // Without metricsFrom, no rule admits /metrics: a policy that selects the pod denies it.
    assertThat(list(at(none, "spec", "ingress"))).hasSize(1);
    assertThat(at(policy, "spec", "podSelector", "matchLabels"))
        .isEqualTo(at(RenderedChart.render().deployment(), "spec", "selector", "matchLabels"));
  }

  @Test
  void headlessServiceCanBeTurnedOff() {
    assertThat(RenderedChart.render(c -> c.set("headlessService.enabled", false)).kinds())
        .containsExactly("Deployment", "Service");
  }
}
