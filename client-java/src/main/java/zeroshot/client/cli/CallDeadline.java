package zeroshot.client.cli;

import java.time.Duration;
import picocli.CommandLine.Option;
import zeroshot.cli.DurationConverter;

/** The {@code --deadline} of a command whose every call has one (a picocli mixin). */
final class CallDeadline {

  /** The default of --deadline, as written on the command line. */
  static final String DEFAULT = "30s";

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      defaultValue = DEFAULT,
      converter = DurationConverter.Positive.class,
      description = "Deadline of each call, e.g. 500ms, 10s, 2m (default: ${DEFAULT-VALUE}).")
  Duration value;
}
