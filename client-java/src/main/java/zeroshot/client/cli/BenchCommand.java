package zeroshot.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import zeroshot.cli.DurationConverter;
import zeroshot.client.ZeroShotClient;
import zeroshot.client.bench.BenchReport;
import zeroshot.client.bench.MetricsSource;
import zeroshot.client.bench.ServerScrapes;
import zeroshot.client.bench.StepLimits;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ListModelsResponse;

/**
 * {@code zeroshot bench}: measures a server's throughput and latency under a closed or open loop.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Load-test a server with Classify calls (or ClassifyStream items) and report throughput,"
          + " latency percentiles (HdrHistogram), errors by status code and the server's own"
          + " batch sizes and queue wait, read from its /metrics before and after each step.",
      "Closed loop: N callers, each sending as soon as its last answer came. Open loop: Poisson"
          + " arrivals at a target rate, latency counted from each request's intended send time"
          + " (no coordinated omission). Each step: a warm-up, then a measured phase bounded by"
          + " --duration and --max-requests. Calls go only to --target and --metrics-url."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Every measured request succeeded.",
      "1:Any other error, or a step that measured nothing (see the warning).",
      "2:Bad usage, unreadable images.",
      "3:The server could not be reached before the run (UNAVAILABLE, DEADLINE_EXCEEDED).",
      "4:The run finished but some requests failed or went unanswered (see the errors column)."
    })
final class BenchCommand implements Callable<Integer> {

  /** What one request is. */
  enum Rpc {
    unary,
    stream,
    http
  }

  /** How load is offered. */
  enum Mode {
    closed,
    open
  }

  @Mixin LabelOptions labelOptions;

  @Option(
      names = "--rpc",
      paramLabel = "unary|stream|http",
      defaultValue = "unary",
      description =
          "unary (one Classify call per image), stream (ClassifyStream items) or http (POST"
              + " /v1/classify on the HTTP/JSON port, the image in base64)."
              + " Default: ${DEFAULT-VALUE}")
  Rpc rpc;

  @Option(
      names = "--http-url",
      paramLabel = "URL",
      description =
          "--rpc http: the server's HTTP/JSON port. Default: http://<--target host>:8080 (the"
              + " server's default --http-port)")
  String httpUrl;

  @Option(
      names = "--mode",
      paramLabel = "closed|open",
      defaultValue = "closed",
      description =
          "closed (--concurrency callers) or open (Poisson at --rate)."
              + " Default: ${DEFAULT-VALUE}")
  Mode mode;

  @Option(
      names = "--concurrency",
      split = ",",
      paramLabel = "N",
      defaultValue = "1,8,32",
      description = "Closed loop: callers per step, one step each. Default: ${DEFAULT-VALUE}")
  List<Integer> concurrency;

  @Option(
      names = "--rate",
      split = ",",
      paramLabel = "PER_S",
      defaultValue = "100,200",
      description = "Open loop: images per second per step. Default: ${DEFAULT-VALUE}")
  List<Double> rates;

  @Option(
      names = "--streams",
      paramLabel = "N",
      defaultValue = "1",
      description = "--rpc stream: streams open at once, used in turn. Default: ${DEFAULT-VALUE}")
  int streams;

  @Option(
      names = "--window",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "--rpc stream: most unanswered items per stream; more wait in the client,"
              + " and the wait counts in their latency. Default: ${DEFAULT-VALUE}")
  int window;

  @ArgGroup(exclusive = true)
  BenchImages.Source images = new BenchImages.Source();

  @Option(
      names = "--size",
      paramLabel = "WxH",
      defaultValue = "224x224",
      description = "Size of --generate images. Default: ${DEFAULT-VALUE}")
  String size;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description =
          "Seed of generated images and of the open loop's schedule."
              + " Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "1",
      description = "Labels returned per image. Default: ${DEFAULT-VALUE}")
  int topK;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      defaultValue = "3s",
      description = "Unmeasured load before each step. Default: ${DEFAULT-VALUE}")
  Duration warmup;

  @Option(
      names = "--initial-warmup",
      paramLabel = "DURATION",
      converter = DurationConverter.PositiveOrZero.class,
      defaultValue = "5s",
      description =
          "Unmeasured load before the first step only, for this generator's own JIT warm-up;"
              + " 0 for none. Default: ${DEFAULT-VALUE}")
  Duration initialWarmup;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      defaultValue = "10s",
      description = "Longest measured phase of each step. Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--max-requests",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "Most requests sent in each measured phase. Default: ${DEFAULT-VALUE}")
  long maxRequests;

  @Option(
      names = "--metrics-url",
      paramLabel = "URL",
      description =
          "The server's Prometheus endpoint (its --metrics-port); 'none' reads none. Read only"
              + " when its zeroshot_model_ready models and versions are those --target lists,"
              + " else a warning and no server figures. Default: http://<--target host>:PORT"
              + "/metrics, PORT being the one the server reports in ListModels, else 9464 (the"
              + " server's default --metrics-port)")
  String metricsUrl;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path json;

  @Option(
      names = "--no-progress",
      description = "No progress line on stderr (off anyway without a console, e.g. in a pipe).")
  boolean noProgress;

  @Mixin ConnectionOptions connection;

  @Mixin CallDeadline deadline;

  @ParentCommand ZeroShotCli cli;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    check();
    // The callers' completions only record a latency and send the next request: run them on the
    // transport's thread, saving a thread hand-off per call (grpc-java's own benchmark clients do
    // the same), so the generator takes less CPU from a server on the same machine. The images
    // are read inside run, which turns an unreadable or empty folder into a message and exit 2.
    return cli.run(
        connection.settings(deadline.value).withDirectExecutor(),
        client -> {
          List<byte[]> encoded = BenchImages.load(images, size, seed, spec);
          List<ClassifyRequest> requests = new ArrayList<>(encoded.size());
          for (byte[] image : encoded) {
            requests.add(BenchImages.request(labelOptions.newRequest(topK), image));
          }
          return bench(client, requests, encoded.size());
        });
  }

  private int bench(ZeroShotClient client, List<ClassifyRequest> requests, int imageCount) {
    // Fails fast (UNAVAILABLE: exit 3) when no server answers, instead of a sweep of errors.
    ListModelsResponse served = client.listModels(deadline.value);
    PrintWriter err = spec.commandLine().getErr();
    String metrics =
        metricsUrl != null
            ? metricsUrl
            : BenchTable.defaultMetricsUrl(connection.target, served.getMetricsPort());
    MetricsSource source = metrics.equals("none") ? null : MetricsSource.http(URI.create(metrics));
    ServerScrapes scrapes =
        new ServerScrapes(
            source, metrics, labelOptions.model, message -> err.println("warning: " + message));
    scrapes.prime(served);
    BenchReport report = new BenchReport(settings(metrics, imageCount), Instant.now());
    StepLimits limits = new StepLimits(warmup, duration, maxRequests, deadline.value);
    BenchSweep sweep =
        new BenchSweep(
            rpc, mode, streams, window, seed, deadline.value, limits, initialWarmup, httpUri());
    boolean progressBar = !noProgress && cli.errIsTerminal();
    BenchTable table = sweep.run(client, requests, values(), scrapes, report, err, progressBar);
    PrintWriter out = spec.commandLine().getOut();
    out.print(table.render());
    out.flush();
    table.warnings().forEach(w -> err.println("warning: " + w));
    if (json != null) {
      write(json, report.toJson());
    }
    if (table.measuredNothing()) {
      return ZeroShotCli.EXIT_FAILURE;
    }
    return table.allSucceeded() ? ZeroShotCli.EXIT_OK : ZeroShotCli.EXIT_ITEMS_FAILED;
  }

  private URI httpUri() {
    return URI.create(
        httpUrl != null ? httpUrl : "http://" + BenchTable.host(connection.target) + ":8080");
  }

  private List<? extends Number> values() {
    return mode == Mode.closed ? concurrency : rates;
  }

  private Map<String, Object> settings(String metrics, int imageCount) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("target", connection.target);
    s.put("model", labelOptions.model);
    s.put("rpc", rpc.name());
    s.put("mode", mode.name());
    if (rpc == Rpc.stream) {
      s.put("streams", streams);
      s.put("window", window);
    }
    if (rpc == Rpc.http) {
      s.put("http_url", httpUri().toString());
    }
    s.put("images", images.describe(imageCount, size));
    s.put("labels", labelOptions.describe());
    s.put("top_k", topK);
    s.put("initial_warmup_s", initialWarmup.toMillis() / 1e3);
    s.put("warmup_s", warmup.toMillis() / 1e3);
    s.put("duration_s", duration.toMillis() / 1e3);
    s.put("max_requests", maxRequests);
    s.put("deadline_s", deadline.value.toMillis() / 1e3);
    s.put("seed", seed);
    s.put("metrics_url", metrics);
    return s;
  }

  private void check() {
    List<? extends Number> sweep = values();
    String name = mode == Mode.closed ? "--concurrency" : "--rate";
    for (Number v : sweep) {
      if (!(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
        throw new ParameterException(spec.commandLine(), name + ": " + v + " (expected: > 0)");
      }
    }
    if (streams < 1 || window < 1 || maxRequests < 1 || topK < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--streams "
              + streams
              + ", --window "
              + window
              + ", --max-requests "
              + maxRequests
              + ", --top-k "
              + topK
              + " (expected: >= 1, >= 1, >= 1, >= 0)");
    }
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text + System.lineSeparator());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
