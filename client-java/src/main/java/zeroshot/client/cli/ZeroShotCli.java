package zeroshot.client.cli;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import zeroshot.cli.DurationConverter;
import zeroshot.client.ZeroShotClient;

/**
 * The {@code zeroshot} command: classify, embed, list models and manage label sets against a
 * ZeroShot Serve server, and load it ({@code bench}).
 *
 * <p>Exit codes: {@value #EXIT_OK} success; {@value #EXIT_FAILURE} any other error; {@value
 * #EXIT_BAD_REQUEST} a request to fix before retrying (INVALID_ARGUMENT, NOT_FOUND, an unreadable
 * file, a usage error); {@value #EXIT_RETRY_LATER} worth retrying later (UNAVAILABLE,
 * RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED); {@value #EXIT_ITEMS_FAILED} a stream that ended normally
 * but with some items failed ({@code classify-folder}). Errors print {@code error: CODE:
 * description} to stderr, or for a deadline that passed {@code error: deadline of 30s passed before
 * the server answered (DEADLINE_EXCEEDED)}.
 */
@Command(
    name = "zeroshot",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Zero-shot classification and embeddings from a ZeroShot Serve server, and a load"
            + " generator for it.",
    subcommands = {
      ClassifyCommand.class,
      ClassifyFolderCommand.class,
      EmbedCommand.class,
      ModelsCommand.class,
      LabelSetCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.",
      "1:Any other error, e.g. INTERNAL.",
      "2:Fix the request: INVALID_ARGUMENT, NOT_FOUND, unreadable file, bad usage.",
      "3:Retry later: UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED.",
      "4:Some items failed (classify-folder); their lines say why."
    })
public final class ZeroShotCli implements Callable<Integer> {

  /** Exit code of a command that succeeded. */
  public static final int EXIT_OK = 0;

  /** Exit code of an error not listed under the other codes, e.g. INTERNAL. */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of a request to fix: INVALID_ARGUMENT, NOT_FOUND, unreadable file, bad usage. */
  public static final int EXIT_BAD_REQUEST = 2;

  /** Exit code of a failure worth retrying: UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED. */
  public static final int EXIT_RETRY_LATER = 3;

  /**
   * Exit code of a stream that ended normally with some items failed (each printed with its error):
   * the other items were classified. A stream-level error exits with the code of its status.
   */
  public static final int EXIT_ITEMS_FAILED = 4;

  private final ClientFactory clientFactory;
  private final BooleanSupplier errIsTerminal;

  @Spec CommandSpec spec;

  /** Creates the command with clients that connect over the network. */
  public ZeroShotCli() {
    this(ClientFactory.network());
  }

  /**
   * Creates the command with clients from the given factory, drawing progress bars only when the
   * JVM has a console (stdin and stdout on a terminal: the JDK cannot ask about stderr alone).
   */
  public ZeroShotCli(ClientFactory clientFactory) {
    this(clientFactory, () -> System.console() != null);
  }

  /**
   * Creates the command with clients from the given factory.
   *
   * @param errIsTerminal whether stderr is shown on a terminal: progress bars, redrawn in place
   *     with carriage returns, are written only then, never into a file or a pipe
   */
  public ZeroShotCli(ClientFactory clientFactory, BooleanSupplier errIsTerminal) {
    this.clientFactory = requireNonNull(clientFactory, "clientFactory");
    this.errIsTerminal = requireNonNull(errIsTerminal, "errIsTerminal");
  }

  /** Whether a progress bar may be drawn on stderr: only on a terminal. */
  boolean errIsTerminal() {
    return errIsTerminal.getAsBoolean();
  }

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine(new ZeroShotCli()).execute(args));
  }

  /**
   * The command line of {@code cli}: a usage error prints its message (and, for a mistyped option,
   * the nearest ones) and one line pointing at {@code --help}, not the whole usage, and exits with
   * {@link #EXIT_BAD_REQUEST}.
   */
  public static CommandLine commandLine(ZeroShotCli cli) {
    return new CommandLine(cli).setParameterExceptionHandler(ZeroShotCli::usageError);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return EXIT_BAD_REQUEST;
  }

  /** Without a subcommand: prints the usage and fails as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_BAD_REQUEST;
  }

  /**
   * Runs an action with a client made from {@code settings}, turning expected failures into a
   * message on stderr and an exit code.
   */
  int run(ConnectionSettings settings, ToIntFunction<ZeroShotClient> action) {
    return run(settings, settings.deadline(), action);
  }

  /**
   * As {@link #run(ConnectionSettings, ToIntFunction)}, naming {@code deadline} (null: none) when a
   * call ends with DEADLINE_EXCEEDED, e.g. the deadline of a whole stream.
   */
  int run(ConnectionSettings settings, Duration deadline, ToIntFunction<ZeroShotClient> action) {
    PrintWriter err = spec.commandLine().getErr();
    try (ZeroShotClient client = clientFactory.create(settings)) {
      return action.applyAsInt(client);
    } catch (StatusRuntimeException e) {
      err.println("error: " + describe(e.getStatus(), deadline));
      String hint = ConnectionHint.of(e.getStatus(), settings);
      if (hint != null) {
        err.println("hint: " + hint);
      }
      return exitCode(e.getStatus().getCode());
    } catch (CliException e) {
      err.println("error: " + e.getMessage());
      return e.exitCode();
    } catch (UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return EXIT_BAD_REQUEST;
    }
  }

  /**
   * Returns {@code CODE: description (cause)}, e.g. the connection error behind UNAVAILABLE; for
   * DEADLINE_EXCEEDED with a known deadline, what happened in words instead of grpc's own text
   * (e.g. "deadline exceeded after 0.000912s. [closed=[], open=[...]]").
   */
  static String describe(Status status, Duration deadline) {
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && deadline != null) {
      return "deadline of "
          + DurationConverter.format(deadline)
          + " passed before the server answered (DEADLINE_EXCEEDED)";
    }
    return describe(status);
  }

  /** Returns {@code CODE: description (cause)}, e.g. the connection error behind UNAVAILABLE. */
  static String describe(Status status) {
    StringBuilder message = new StringBuilder(status.getCode().name());
    if (status.getDescription() != null) {
      // Only the first line: Netty appends its channel pipeline to TLS failures.
      message.append(": ").append(status.getDescription().lines().findFirst().orElse(""));
    }
    if (status.getCause() != null && status.getCause().getMessage() != null) {
      message.append(" (").append(status.getCause().getMessage()).append(')');
    }
    return message.toString();
  }

  static int exitCode(Status.Code code) {
    return switch (code) {
      case OK -> EXIT_OK;
      case INVALID_ARGUMENT, NOT_FOUND -> EXIT_BAD_REQUEST;
      case UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED -> EXIT_RETRY_LATER;
      default -> EXIT_FAILURE;
    };
  }
}
