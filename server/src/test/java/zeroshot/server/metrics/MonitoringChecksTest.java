package zeroshot.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.Processes;

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

    Processes.Result result = Processes.run(List.of("bash", script.toString()), 300);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("all monitoring checks passed");
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
