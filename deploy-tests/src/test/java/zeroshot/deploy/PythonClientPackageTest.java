package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Python client package's own tests (clients/python/tests, pytest): every call against a real
 * server on a free loopback port, TLS with a client certificate and a token, errors with field
 * violations, and stubs that match the proto. Run from here so that the README's test command runs
 * them; this module builds after the server, whose jar they start. Skipped, saying why, without
 * Debian's python3-pytest and python3-grpcio ({@code .ci/run} installs them).
 */
class PythonClientPackageTest {
  private static final Path ROOT = RenderedChart.repoRoot();
  private static final String PYTHON = "/usr/bin/python3";

  @Test
  void thePythonPackagesTestsPass() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of(PYTHON))
            && Processes.run(List.of(PYTHON, "-c", "import pytest, grpc, numpy, PIL"), null, 60)
                    .exitCode()
                == 0,
        "/usr/bin/python3 with pytest, grpcio, numpy and Pillow is needed"
            + " (apt-get install python3-pytest python3-grpcio python3-numpy python3-pil)");

    Processes.Result result =
        Processes.run(
            List.of(
                PYTHON,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                ROOT.resolve("clients/python/tests").toString()),
            ROOT,
            900);
    System.out.print(result.output());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).containsPattern("[1-9][0-9]* passed").doesNotContain("failed");
  }
}
