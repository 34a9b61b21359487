package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validates the rendered manifests against the Kubernetes and prometheus-operator schemas (npm
 * kubernetes-models, deploy-tests/k8s-validate/validate.mjs). Installs the npm packages with {@code
 * npm ci} when missing; skipped only where node or npm is not installed.
 */
@EnabledIf(
    value = "zeroshot.deploy.KubernetesModelsValidationTest#nodeInstalled",
    disabledReason = KubernetesModelsValidationTest.NO_NODE)
class KubernetesModelsValidationTest {
  static final String NO_NODE =
      "node and npm are not installed: skipping kubernetes-models validation of the chart";

  private static final Path VALIDATOR_DIR =
      RenderedChart.repoRoot().resolve("deploy-tests/k8s-validate");

  /** For the class's {@code @EnabledIf}: counted as skipped, with the reason, without them. */
  static boolean nodeInstalled() {
    boolean installed = Processes.onPath("node") && Processes.onPath("npm");
    if (!installed) {
      System.err.println(NO_NODE);
    }
    return installed;
  }

  @BeforeAll
  static void installValidator() throws IOException, InterruptedException {
    if (!Files.isDirectory(VALIDATOR_DIR.resolve("node_modules/kubernetes-models"))) {
      Processes.Result npm =
          Processes.run(
              List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", VALIDATOR_DIR.toString()),
              VALIDATOR_DIR,
              300);
      assertThat(npm.exitCode()).as("npm ci in %s:%n%s", VALIDATOR_DIR, npm.output()).isZero();
    }
  }

  @ParameterizedTest(name = "values: {0}")
  @ValueSource(
      strings = {
        "defaults",
        "gpu.yaml",
        "all-optional.yaml",
        "pvc-model.yaml",
        "init-container-model.yaml",
        "tls-auth.yaml"
      })
  void renderedManifestsAreValidKubernetesObjects(String values, @TempDir Path dir)
      throws IOException, InterruptedException {
    RenderedChart chart =
        values.equals("defaults") ? RenderedChart.render() : RenderedChart.render(values);
    Path manifest = dir.resolve("manifest.yaml");
    Files.writeString(manifest, chart.manifest, StandardCharsets.UTF_8);

    Processes.Result result =
        Processes.run(
            List.of("node", VALIDATOR_DIR.resolve("validate.mjs").toString(), manifest.toString()),
            VALIDATOR_DIR,
            60);

    assertThat(result.exitCode()).as("validate.mjs output:%n%s", result.output()).isZero();
    assertThat(result.output()).contains(chart.objects.size() + " objects, 0 invalid");
  }
}
