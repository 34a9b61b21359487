package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class ExitCodesTest {

  @ParameterizedTest
  @CsvSource({
    "OK, 0",
    "INVALID_ARGUMENT, 2",
    "NOT_FOUND, 2",
    "UNAVAILABLE, 3",
    "RESOURCE_EXHAUSTED, 3",
    "DEADLINE_EXCEEDED, 3",
    "INTERNAL, 1",
    "CANCELLED, 1",
    "UNKNOWN, 1"
  })
  void statusCodeMapsToTheDocumentedExitCode(Status.Code code, int exitCode) {
    assertThat(ZeroShotCli.exitCode(code)).isEqualTo(exitCode);
  }

  @Test
  void descriptionIncludesTheCauseBehindTheStatus() {
    Status status =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new ConnectException("Connection refused: localhost/127.0.0.1:1"));

    assertThat(ZeroShotCli.describe(status))
        .isEqualTo("UNAVAILABLE: io exception (Connection refused: localhost/127.0.0.1:1)");
  }

  @Test
  void itemsFailedExitCodeIsNoStatusCodesExitCode() {
    for (Status.Code code : Status.Code.values()) {
      assertThat(ZeroShotCli.exitCode(code)).isNotEqualTo(ZeroShotCli.EXIT_ITEMS_FAILED);
    }
    assertThat(ZeroShotCli.EXIT_ITEMS_FAILED).isEqualTo(4);
  }

  @Test
  void helpListsEveryExitCode() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = ZeroShotCli.commandLine(new ZeroShotCli(settings -> null));
    commandLine.setOut(new PrintWriter(out, true));

    commandLine.execute("--help");
    commandLine.execute("classify-folder", "--help");

    assertThat(out.toString().split("Exit codes:")).hasSize(3);
    assertThat(out.toString())
        .contains("4   Some items failed (classify-folder)")
        .contains("4   The stream ended but some images failed");
  }
}
