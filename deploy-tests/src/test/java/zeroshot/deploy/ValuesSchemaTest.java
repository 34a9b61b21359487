package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json, and the templates' own checks, reject values that cannot work. */
class ValuesSchemaTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "server.device, tpu",
    "server.device, gpu:x",
    "server.device, 'gpu:0,cpu'",
    "server.grpcPort, 70000",
    "server.grpcPort, 0",
    "server.metricsPort, -1",
    "image.repository, ''",
    "model.source, s3",
    "autoscaling.metric, memory",
    "service.type, ExternalName",
    "gpu.count, -1",
    "server.shutdownGraceSeconds, -5",
    "serverr.device, cpu",
    "labelSets.storage, hostPath",
    "server.healthPort, 0",
    "tls.enabled, yes",
    "tls.clientCA.key, ''",
    "auth.key, ''",
    "auth.tokenn, x"
  })
  void rejects(String key, String value) {
    assertThatThrownBy(() -> RenderedChart.render(c -> c.set(key, value)))
        .as("%s=%s must be rejected", key, value)
        .hasMessageContaining("don't meet the specifications of the schema");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "server.device, cpu",
    "server.device, gpu",
    "server.device, gpu:3",
    "server.device, 'gpu:0,gpu:1'",
    "server.grpcPort, 65535",
    "model.source, image"
  })
  void accepts(String key, String value) {
    assertThatCode(() -> RenderedChart.render(c -> c.set(key, value))).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "model.source=pvc, model.pvc.claimName",
    "model.source=initContainer, model.initContainer.image.repository",
    "server.metricsPort=50051, must differ",
    "autoscaling.enabled=true;autoscaling.minReplicas=5;autoscaling.maxReplicas=2, minReplicas",
    "podDisruptionBudget.enabled=true;podDisruptionBudget.minAvailable=1, only one"
  })
  void templateChecksNameTheMissingOrConflictingValue(String sets, String message) {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    c -> {
                      for (String set : sets.split(";")) {
                        String[] kv = set.split("=", 2);
                        c.set(kv[0], kv[1]);
                      }
                      return c;
                    }))
        .hasMessageContaining(message);
  }
}
