package zeroshot.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.TestModels;

/**
 * monitoring/check.sh: every dashboard query parses (lezer-promql and promtool) and returns data on
 * sample series, and the alert rules pass their promtool unit tests. Skipped, saying why, without
 * Node.js or promtool ({@code .ci/run} installs promtool).
 */
class MonitoringChecksTest {
  @Test
  void dashboardQueriesAndAlertRulesPassTheirChecks() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/promtool")))
        .as("promtool missing: apt-get install prometheus")
        .isTrue();
    assumeThat(onPath("node")).as("Node.js missing").isTrue();
    Path script = TestModels.repoRoot().resolve("monitoring/check.sh");

    Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("all monitoring checks passed");
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
