package zeroshot.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import zeroshot.cli.DurationConverter;
import zeroshot.client.StreamSummary;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;

/** {@code zeroshot classify-folder}: classifies every image of a folder over one stream. */
@Command(
    name = "classify-folder",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Classify every image in DIR (jpg, jpeg, png, gif, bmp, webp; not subfolders) over one"
          + " ClassifyStream call, reading files only as the server takes them.",
      "Prints one line per image, in file-name order: FILE<TAB>LABEL<TAB>PROBABILITY (the best"
          + " label), or FILE<TAB>error: CODE: message; --json prints JSON lines instead. A"
          + " progress bar goes to stderr when it is a terminal. The stream has no deadline unless"
          + " --deadline is given."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Every image classified.",
      "1:Any other error, e.g. INTERNAL.",
      "2:Fix the request: INVALID_ARGUMENT, NOT_FOUND, DIR not a folder or without images, bad"
          + " usage.",
      "3:Retry later: UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED.",
      "4:The stream ended but some images failed; their lines say why."
    })
final class ClassifyFolderCommand implements Callable<Integer> {

  /** The default of --max-in-flight. */
  static final int DEFAULT_MAX_IN_FLIGHT = 64;

  @Parameters(index = "0", paramLabel = "DIR", description = "Folder of images.")
  Path dir;

  @Mixin LabelOptions labelOptions;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "0",
      description = "Scores per image in --json output (default: 0 = all).")
  int topK;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_MAX_IN_FLIGHT,
      description = "Most images sent and not yet answered (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(names = "--json", description = "Print one JSON object per image.")
  boolean json;

  @Option(
      names = "--no-progress",
      description = "No progress bar on stderr (off anyway without a console, e.g. in a pipe).")
  boolean noProgress;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      defaultValue = "0",
      converter = DurationConverter.PositiveOrZero.class,
      description =
          "Deadline of the whole stream, e.g. 10m; unanswered images then fail with"
              + " DEADLINE_EXCEEDED (default: none, the stream runs until every image is"
              + " answered).")
  Duration deadline;

  @Mixin ConnectionOptions connection;

  @ParentCommand ZeroShotCli cli;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (maxInFlight < 1) {
      throw new ParameterException(
          spec.commandLine(), "--max-in-flight: " + maxInFlight + " (expected: >= 1)");
    }
    Duration streamDeadline = deadline.isZero() ? null : deadline;
    // The client's per-call deadline applies to no call here: the stream has streamDeadline.
    ConnectionSettings settings =
        connection.settings(
            streamDeadline != null
                ? streamDeadline
                : new DurationConverter.Positive().convert(CallDeadline.DEFAULT));
    return cli.run(settings, streamDeadline, client -> classifyFolder(client, streamDeadline));
  }

  private int classifyFolder(ZeroShotClient client, Duration streamDeadline) {
    List<Path> files = ImageFolder.list(dir);
    if (files.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "warning: "
                  + dir
                  + ": no images to classify (expected: "
                  + ImageFolder.expected()
                  + ")");
      return ZeroShotCli.EXIT_BAD_REQUEST;
    }
    OrderedLines lines = new OrderedLines(spec.commandLine().getOut());
    ResultLines format = new ResultLines(json);
    ProgressBar progress =
        noProgress || !cli.errIsTerminal()
            ? null
            : new ProgressBar(spec.commandLine().getErr(), files.size(), System::nanoTime);
    AtomicInteger unreadable = new AtomicInteger();
    Iterator<ClassifyStreamRequest> requests =
        ImageFolder.requests(
            files,
            request(),
            (index, reason) -> {
              unreadable.incrementAndGet();
              done(lines, progress, index, format.unreadable(name(files, index), reason));
            });
    Consumer<ClassifyStreamResponse> onResult =
        result -> {
          int index = Integer.parseInt(result.getRequestId());
          done(lines, progress, index, format.answered(name(files, index), result));
        };
    try {
      StreamSummary summary = await(start(client, requests, onResult, streamDeadline));
      boolean allOk = summary.failed() == 0 && unreadable.get() == 0;
      return allOk ? ZeroShotCli.EXIT_OK : ZeroShotCli.EXIT_ITEMS_FAILED;
    } finally {
      lines.flushWaiting();
      if (progress != null) {
        progress.finish();
      }
    }
  }

  private ClassifyRequest request() {
    return labelOptions.newRequest(topK).build();
  }

  private CompletableFuture<StreamSummary> start(
      ZeroShotClient client,
      Iterator<ClassifyStreamRequest> requests,
      Consumer<ClassifyStreamResponse> onResult,
      Duration streamDeadline) {
    if (streamDeadline != null) {
      return client.classifyStream(requests, maxInFlight, onResult, streamDeadline);
    }
    return client.classifyStream(requests, maxInFlight, onResult);
  }

  private static StreamSummary await(CompletableFuture<StreamSummary> stream) {
    try {
      return stream.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure; // StatusRuntimeException: mapped to its exit code by ZeroShotCli.run
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      stream.cancel(true);
      Thread.currentThread().interrupt();
      throw new CliException(ZeroShotCli.EXIT_FAILURE, "interrupted");
    }
  }

  private static String name(List<Path> files, int index) {
    return files.get(index).getFileName().toString();
  }

  private static void done(OrderedLines lines, ProgressBar progress, int index, String line) {
    lines.put(index, line);
    if (progress != null) {
      progress.advance();
    }
  }
}
