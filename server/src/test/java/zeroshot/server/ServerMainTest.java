package zeroshot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import zeroshot.server.config.ServerCommand;

/** What the server's command line says about a usage error before pointing at --help. */
class ServerMainTest {
  @Test
  void anUnknownOptionNamesTheNearestKnownOne() {
    CommandLine cli = new CommandLine(new ServerCommand());

    ParameterException e =
        catchThrowableOfType(ParameterException.class, () -> cli.parseArgs("--prot", "6000"));

    assertThat(ServerMain.usageError(e, cli.getCommandSpec()))
        .isEqualTo("unknown option '--prot' (nearest known option: --port)");
  }

  @Test
  void anUnknownOptionWithItsValueAttachedIsNamedWithoutTheValue() {
    CommandLine cli = new CommandLine(new ServerCommand());

    ParameterException e =
        catchThrowableOfType(ParameterException.class, () -> cli.parseArgs("--metrics-prot=9000"));

    assertThat(ServerMain.usageError(e, cli.getCommandSpec()))
        .isEqualTo("unknown option '--metrics-prot' (nearest known option: --metrics-port)");
  }

  @Test
  void otherUsageErrorsKeepPicocliMessage() {
    CommandLine cli = new CommandLine(new ServerCommand());

    ParameterException e =
        catchThrowableOfType(ParameterException.class, () -> cli.parseArgs("--port", "x"));

    assertThat(ServerMain.usageError(e, cli.getCommandSpec())).isEqualTo(e.getMessage());
  }
}
