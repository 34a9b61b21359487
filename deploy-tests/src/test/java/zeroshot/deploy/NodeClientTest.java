package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Node client's own tests (clients/node/test, Node's test runner) against a real server on a
 * free loopback port. Run from here so that the README's test command runs them; this module builds
 * after the server, whose jar they start. Skipped, saying why, without node or without the client's
 * pinned dependencies ({@code .ci/run} runs {@code npm ci --prefix clients/node}).
 */
class NodeClientTest {
  private static final Path ROOT = RenderedChart.repoRoot();

  @Test
  void theNodeClientsTestsPass() throws Exception {
    assumeTrue(Processes.onPath("node"), "node not found (Debian: apt-get install nodejs)");
    assumeTrue(
        Files.isDirectory(ROOT.resolve("clients/node/node_modules/@grpc/grpc-js")),
        "clients/node/node_modules missing: run 'npm ci --prefix clients/node'");

    Processes.Result result =
        Processes.run(
            List.of("node", "--test", ROOT.resolve("clients/node/test").toString()), ROOT, 900);
    System.out.print(result.output());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).containsPattern("# pass [1-9]").contains("# fail 0");
  }
}
