package zeroshot.v1;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs {@code buf lint} (STANDARD rules, see buf.yaml) over the API's .proto files. */
class BufLintTest {

  /** Where {@code npm ci --prefix proto} puts buf, relative to this module (surefire's cwd). */
  private static final Path BUF = Path.of("node_modules", ".bin", "buf");

  @Test
  void protoFilesPassBufLint() throws Exception {
    assumeTrue(
        Files.isExecutable(BUF),
        "buf not installed: run `npm ci --prefix proto` from the repository root");

    Process buf =
        new ProcessBuilder(BUF.toString(), "lint")
            .directory(Path.of("").toAbsolutePath().toFile())
            .redirectErrorStream(true)
            .start();
    buf.getOutputStream().close();
    String output = new String(buf.getInputStream().readAllBytes(), UTF_8);
    assertThat(buf.waitFor(60, TimeUnit.SECONDS)).as("buf lint finished within 60 s").isTrue();

    assertThat(buf.exitValue()).as("buf lint exit code; output:%n%s", output).isZero();
    assertThat(output).as("buf lint output").isEmpty();
  }
}
