package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.deploy.Yaml2.at;
import static zeroshot.deploy.Yaml2.list;
import static zeroshot.deploy.Yaml2.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Deployment: ports, probes, shutdown, resources, security and env. */
class DeploymentTemplateTest {

  private static final List<String> PROBES =
      List.of("startupProbe", "readinessProbe", "livenessProbe");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "gpu.yaml",
        "all-optional.yaml",
        "pvc-model.yaml",
        "init-container-model.yaml"
      })
  void everyProbeIsANativeGrpcProbeOnTheContainerPortNamedGrpc(String valuesFile) {
    RenderedChart chart =
        valuesFile.isEmpty() ? RenderedChart.render() : RenderedChart.render(valuesFile);
    Map<String, Object> container = chart.serverContainer();
    Object grpcPort =
        list(container.get("ports")).stream()
            .map(Yaml2::map)
            .filter(p -> "grpc".equals(p.get("name")))
            .findFirst()
            .orElseThrow()
            .get("containerPort");

    assertThat(grpcPort).isEqualTo(50051);
    for (String probe : PROBES) {
      assertThat(at(container, probe, "grpc", "port")).as(probe + " port").isEqualTo(grpcPort);
      assertThat(at(container, probe, "httpGet")).as(probe + " httpGet").isNull();
      assertThat(at(container, probe, "exec")).as(probe + " exec").isNull();
    }
  }

  @Test
  void probesFollowAChangedGrpcPort() {
    RenderedChart chart = RenderedChart.render(c -> c.set("server.grpcPort", 6000));
    Map<String, Object> container = chart.serverContainer();

    assertThat(chart.env("ZEROSHOT_PORT")).contains("6000");
    for (String probe : PROBES) {
      assertThat(at(container, probe, "grpc", "port")).as(probe).isEqualTo(6000);
    }
  }

  @Test
  void readinessAsksForTheZeroShotServiceAndLivenessAndStartupForTheWholeServer() {
    Map<String, Object> container = RenderedChart.render().serverContainer();

    assertThat(at(container, "readinessProbe", "grpc", "service"))
        .isEqualTo("zeroshot.v1.ZeroShotService");
    assertThat(at(container, "livenessProbe", "grpc", "service")).isEqualTo("");
    assertThat(at(container, "startupProbe", "grpc", "service")).isEqualTo("");
  }

  @Test
  void startupProbeAllowsMinutesOfModelLoading() {
    Map<String, Object> startup = map(RenderedChart.render().serverContainer().get("startupProbe"));

    int seconds = (int) startup.get("periodSeconds") * (int) startup.get("failureThreshold");
    assertThat(seconds).isGreaterThanOrEqualTo(300);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 30, 45, 120})
  void terminationGracePeriodExceedsTheServerShutdownGrace(int graceSeconds) {
    RenderedChart chart =
        RenderedChart.render(c -> c.set("server.shutdownGraceSeconds", graceSeconds));

    assertThat(chart.env("ZEROSHOT_SHUTDOWN_GRACE")).contains(graceSeconds + "s");
    assertThat((int) chart.podSpec().get("terminationGracePeriodSeconds"))
        .isGreaterThan(graceSeconds)
        .isEqualTo(graceSeconds + 15);
  }

  @Test
  void noGpuIsRequestedByDefault() {
    RenderedChart chart = RenderedChart.render();

    assertThat(map(chart.serverContainer().get("resources")).toString()).doesNotContain("nvidia");
    assertThat(chart.env("ZEROSHOT_DEVICE")).contains("auto");
  }

  @Test
  void gpuValuesAddTheGpuLimitKeepMemoryLimitAndScheduleOnGpuNodes() {
    RenderedChart chart = RenderedChart.render("gpu.yaml");
    Map<String, Object> limits = map(at(chart.serverContainer(), "resources", "limits"));

    assertThat(limits).containsEntry("nvidia.com/gpu", 1).containsEntry("memory", "16Gi");
    assertThat(chart.env("ZEROSHOT_DEVICE")).contains("gpu");
    assertThat(chart.env("ZEROSHOT_MAX_BATCH_SIZE")).contains("64");
    assertThat(map(chart.podSpec().get("nodeSelector")))
        .containsEntry("nvidia.com/gpu.present", "true");
    assertThat(list(chart.podSpec().get("tolerations"))).hasSize(1);
    assertThat(at(chart.podSpec(), "affinity", "podAntiAffinity")).isNotNull();
    assertThat(chart.serverContainer().get("image"))
        .isEqualTo("registry.example.com/zeroshot-serve:0.1.0-gpu");
  }

  @Test
  void severalGpusGetOneLimitAndTheDeviceListReachesTheServer() {
    RenderedChart chart =
        RenderedChart.render(c -> c.set("gpu.count", "2").set("server.device", "gpu:0,gpu:1"));
    Map<String, Object> limits = map(at(chart.serverContainer(), "resources", "limits"));

    assertThat(limits).containsEntry("nvidia.com/gpu", 2);
    assertThat(chart.env("ZEROSHOT_DEVICE")).contains("gpu:0,gpu:1");
  }

  @Test
  void defaultsRunNonRootWithAReadOnlyRootAndAWritableTmp() {
    RenderedChart chart = RenderedChart.render();
    Map<String, Object> container = chart.serverContainer();

    assertThat(at(chart.podSpec(), "securityContext", "runAsUser")).isEqualTo(10001);
    assertThat(at(chart.podSpec(), "securityContext", "runAsNonRoot")).isEqualTo(true);
    assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(list(container.get("volumeMounts")))
        .anySatisfy(m -> assertThat(map(m)).containsEntry("mountPath", "/tmp"));
    assertThat(list(chart.podSpec().get("volumes")))
        .anySatisfy(v -> assertThat(at(v, "emptyDir")).isNotNull());
  }

  @Test
  void anHttpPortOfMinusOneTurnsTheHttpPortOffEverywhere() {
    RenderedChart chart = RenderedChart.render(c -> c.set("server.httpPort", -1));

    assertThat(chart.env("ZEROSHOT_HTTP_PORT")).contains("-1");
    assertThat(list(chart.serverContainer().get("ports")))
        .extracting(p -> map(p).get("name"))
        .containsExactly("grpc", "metrics");
    assertThat(list(at(chart.get("Service", RenderedChart.FULLNAME), "spec", "ports")))
        .extracting(p -> map(p).get("name"))
        .containsExactly("grpc", "metrics");
  }

  @Test
  void defaultsServeTheModelBakedIntoTheImageWithoutExtraVolumes() {
    RenderedChart chart = RenderedChart.render();

    assertThat(chart.env("ZEROSHOT_MODEL_DIR")).contains("/opt/zeroshot/models/tiny-clip");
    assertThat(chart.env("ZEROSHOT_PORT")).contains("50051");
    assertThat(chart.env("ZEROSHOT_METRICS_PORT")).contains("9464");
    assertThat(chart.env("ZEROSHOT_HTTP_PORT")).contains("8080");
    assertThat(chart.env("ZEROSHOT_LABEL_SET_DIR")).isEmpty();
    assertThat(chart.podSpec().get("initContainers")).isNull();
    assertThat(list(chart.podSpec().get("volumes"))).hasSize(1);
    assertThat(at(chart.deployment(), "spec", "replicas")).isEqualTo(2);
  }

  @Test
  void pvcModelSourceMountsTheClaimReadOnly() {
    RenderedChart chart = RenderedChart.render("pvc-model.yaml");

    assertThat(chart.env("ZEROSHOT_MODEL_DIR")).contains("/models/clip-vit-b32");
    assertThat(list(chart.podSpec().get("volumes")))
        .anySatisfy(
            v -> {
              assertThat(at(v, "persistentVolumeClaim", "claimName")).isEqualTo("zeroshot-models");
              assertThat(at(v, "persistentVolumeClaim", "readOnly")).isEqualTo(true);
            });
    assertThat(list(chart.serverContainer().get("volumeMounts")))
        .anySatisfy(
            m ->
                assertThat(map(m))
                    .containsEntry("mountPath", "/models")
                    .containsEntry("readOnly", true));
  }

  @Test
  void initContainerModelSourceFillsAnEmptyDirTheServerReads() {
    RenderedChart chart = RenderedChart.render("init-container-model.yaml");
    Map<String, Object> init = map(list(chart.podSpec().get("initContainers")).get(0));

    assertThat(init.get("image"))
        .isEqualTo("registry.example.com/zeroshot-models/tiny-clip:2024-06-01");
    assertThat(list(init.get("env")))
        .anySatisfy(
            e ->
                assertThat(map(e))
                    .containsEntry("name", "ZEROSHOT_MODEL_TARGET")
                    .containsEntry("value", "/models/tiny-clip"));
    assertThat(chart.env("ZEROSHOT_MODEL_DIR")).contains("/models/tiny-clip");
    assertThat(list(chart.podSpec().get("volumes")))
        .anySatisfy(
            v -> {
              assertThat(map(v)).containsEntry("name", "model");
              assertThat(at(v, "emptyDir", "sizeLimit")).isEqualTo("2Gi");
            });
  }

  @Test
  void serverEnvMapAndExtraEnvReachTheContainer() {
    RenderedChart chart = RenderedChart.render("all-optional.yaml");

    assertThat(chart.env("ZEROSHOT_MAX_QUEUE_DELAY")).contains("3ms");
    assertThat(chart.env("ZEROSHOT_MAX_LABELS")).contains("500");
    assertThat(chart.env("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=75");
    assertThat(chart.env("ZEROSHOT_LABEL_SET_DIR")).contains("/var/lib/zeroshot/label-sets");
    assertThat(list(chart.serverContainer().get("env")))
        .anySatisfy(e -> assertThat(at(e, "valueFrom", "fieldRef", "fieldPath")).isNotNull());
  }

  @Test
  void hpaOwnsTheReplicaCountWhenEnabled() {
    assertThat(at(RenderedChart.render("all-optional.yaml").deployment(), "spec", "replicas"))
        .isNull();
  }
}
