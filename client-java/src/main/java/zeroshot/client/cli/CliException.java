package zeroshot.client.cli;

/** An expected failure of a command: its message is printed as is, without a stack trace. */
final class CliException extends RuntimeException {

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
