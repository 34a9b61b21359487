package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Dockerfile.gpu cannot be built here (no Docker engine), so it is linted with dockerfilelint and
 * checked against what it must agree with: the server's default ports, the chart's ports, user and
 * model path, and the DJL cache its natives are unpacked into (docker/unpack-natives.sh, tested by
 * {@link UnpackNativesTest}).
 */
class DockerfileTest {
  private static final Path ROOT = RenderedChart.repoRoot();
  private static final Path LINT_DIR = ROOT.resolve("deploy-tests/k8s-validate");

  @Test
  void dockerfilelintFindsNoProblem() throws Exception {
    Assumptions.assumeTrue(
        Processes.onPath("node") && Processes.onPath("npm"),
        "node and npm are not installed: skipping dockerfilelint");
    Path lint = LINT_DIR.resolve("node_modules/.bin/dockerfilelint");
    if (!Files.isExecutable(lint)) {
      Processes.Result npm =
          Processes.run(
              List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", LINT_DIR.toString()),
              LINT_DIR,
              300);
      assertThat(npm.exitCode()).as(npm.output()).isZero();
    }

    Processes.Result result =
        Processes.run(
            List.of(lint.toString(), ROOT.resolve("Dockerfile.gpu").toString()), LINT_DIR, 300);

    // dockerfilelint's exit code is its number of problems.
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void portsUserAndModelPathMatchTheServerAndTheChart() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile.gpu"));
    String serverConfig =
        Files.readString(
            ROOT.resolve("server/src/main/java/zeroshot/server/config/ServerConfig.java"));
    Object values =
        new Yaml().load(Files.readString(RenderedChart.chartDir().resolve("values.yaml")));

    int grpc = constant(serverConfig, "DEFAULT_PORT");
    int metrics = constant(serverConfig, "DEFAULT_METRICS_PORT");
    int http = constant(serverConfig, "DEFAULT_HTTP_PORT");
    assertThat(find(dockerfile, "(?m)^EXPOSE (.+)$").split("\\s+"))
        .containsExactlyInAnyOrder(
            Integer.toString(grpc), Integer.toString(metrics), Integer.toString(http));
    assertThat(Yaml2.at(values, "server", "grpcPort")).isEqualTo(grpc);
    assertThat(Yaml2.at(values, "server", "metricsPort")).isEqualTo(metrics);
    assertThat(Yaml2.at(values, "server", "httpPort")).isEqualTo(http);

    String user = find(dockerfile, "(?m)^USER (\\d+):(\\d+)$");
    assertThat(user).isEqualTo(Yaml2.at(values, "podSecurityContext", "runAsUser") + "");
    assertThat(find(dockerfile, "(?m)^USER \\d+:(\\d+)$"))
        .isEqualTo(Yaml2.at(values, "podSecurityContext", "runAsGroup") + "");

    assertThat(find(dockerfile, "ZEROSHOT_MODEL_DIR=(\\S+)"))
        .isEqualTo(Yaml2.at(values, "model", "imageDir"));
    assertThat(dockerfile)
        .contains("COPY models/tiny-clip " + Yaml2.at(values, "model", "imageDir"));
  }

  @Test
  void baseImagesArePinnedAndTheEntrypointIsExecForm() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile.gpu"));
    Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
    List<String> images = new ArrayList<>();
    while (from.find()) {
      images.add(from.group(1));
    }
    assertThat(images).hasSizeGreaterThanOrEqualTo(2);
    assertThat(images)
        .allSatisfy(i -> assertThat(i).matches("[^:]+:[0-9][^:]*").doesNotContain("latest"));
    assertThat(find(dockerfile, "(?m)^ENTRYPOINT (.+)$")).startsWith("[\"java\"");
  }

  @Test
  void theNativesAreUnpackedIntoTheCacheDjlIsPointedAt() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile.gpu"));

    String cache = find(dockerfile, "DJL_CACHE_DIR=(\\S+)");
    assertThat(find(dockerfile, "PYTORCH_LIBRARY_PATH=(\\S+)")).isEqualTo(cache + "/pytorch/cu124");
    assertThat(find(dockerfile, "PYTORCH_FLAVOR=(\\S+)")).isEqualTo("cu124");
    assertThat(dockerfile)
        .contains("docker/unpack-natives.sh")
        .contains("/src/server/target/zeroshot-server.jar " + cache + "\n")
        .contains("COPY --from=build " + cache + " " + cache);
  }

  private static int constant(String source, String name) {
    return Integer.parseInt(find(source, name + " = (\\d+);"));
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("no match for " + regex).isTrue();
    return m.group(1);
  }
}
