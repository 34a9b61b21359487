package zeroshot.server.bench;

import ai.djl.engine.Engine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zeroshot.cli.ReportedPath;
import zeroshot.server.bench.PipelineCost.Cost;
import zeroshot.server.bench.PipelineCost.Quartiles;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * A model's in-process speed as a fraction of a baseline model's, from {@link PipelineCost}: CPU
 * time of one thread per batch (decode + preprocess + image encoder), both models in one process,
 * round by round. {@code --update-eval} writes it into the model's eval.json as {@code serving}:
 * {@code java -cp zeroshot-server.jar zeroshot.server.bench.InProcessCost --help}.
 */
@Command(
    name = "in-process-cost",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "CPU time per batch of a model's image pipeline against a baseline's; JSON.")
public final class InProcessCost implements Callable<Integer> {

  @Option(names = "--model-dir", description = "Model directory. Default: ${DEFAULT-VALUE}")
  Path modelDir = Path.of("models/tiny-clip");

  @Option(names = "--baseline-dir", required = true, description = "The baseline's directory.")
  Path baselineDir;

  @Option(
      names = "--images",
      description = "Images (png, jpg, jpeg) to cycle through. Default: <baseline-dir>/samples")
  Path imagesDir;

  @Option(names = "--batch", description = "Images per batch. Default: ${DEFAULT-VALUE}")
  int batch = 32;

  @Option(names = "--warmup-rounds", description = "Unmeasured rounds. Default: ${DEFAULT-VALUE}")
  int warmupRounds = 300;

  @Option(names = "--rounds", description = "Measured rounds. Default: ${DEFAULT-VALUE}")
  int rounds = 1000;

  @Option(
      names = "--target-ratio",
      description = "The speed asked of the model, as a fraction of the baseline's; recorded.")
  Double targetRatio;

  @Option(
      names = "--update-eval",
      description = "Also write the result into <model-dir>/eval.json as serving.")
  boolean updateEval;

  public static void main(String[] args) {
    BenchMain.run(InProcessCost::new, args);
  }

  @Override
  public Integer call() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isCurrentThreadCpuTimeSupported()) {
      System.err.println("this JVM cannot read a thread's CPU time (expected: it can)");
      return 2;
    }
    List<byte[]> images =
        InProcessLimit.read(imagesDir != null ? imagesDir : baselineDir.resolve("samples"));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("model_dir", ReportedPath.of(modelDir));
    report.put("baseline_dir", ReportedPath.of(baselineDir));
    report.put("images", images.size());
    try (TorchScriptClipModel model = load(modelDir);
        TorchScriptClipModel baseline = load(baselineDir)) {
      report.put("version", model.manifest().version());
      report.put("baseline_version", baseline.manifest().version());
      Path file = model.manifest().image().torchscript();
      report.put("image_encoder_file", file.getFileName().toString());
      report.put("image_encoder_bytes", Files.size(file));
      PipelineCost.Result result =
          new PipelineCost(model, baseline, images, threads::getCurrentThreadCpuTime)
              .measure(batch, warmupRounds, rounds);
      report.putAll(figures(result, batch, warmupRounds));
    }
    if (targetRatio != null) {
      report.put("target_ratio", targetRatio);
    }
    report.put(
        "runtime",
        String.format(
            Locale.ROOT,
            "Java %s, DJL %s / libtorch %s (%s), %s, %d cpus",
            Runtime.version(),
            Engine.getDjlVersion(),
            Engine.getEngine("PyTorch").getVersion(),
            Engine.getEngine("PyTorch").defaultDevice(),
            System.getProperty("os.arch"),
            Runtime.getRuntime().availableProcessors()));
    System.out.println(EvalJson.GSON.toJson(report));
    if (updateEval) {
      EvalJson.put(modelDir, "serving", report);
    }
    return 0;
  }

  /** The report's figures: method, each model's cost, and the ratios. */
  static Map<String, Object> figures(PipelineCost.Result result, int batch, int warmupRounds) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put(
        "method",
        "one thread; each round decodes, preprocesses and encodes the same batch through both"
            + " models in turn (the baseline first in even rounds); CPU time of the thread");
    f.put("batch", batch);
    f.put("warmup_rounds", warmupRounds);
    f.put("rounds", result.rounds());
    Map<String, Object> costs = new LinkedHashMap<>();
    costs.put("this", cost(result.model()));
    costs.put("baseline", cost(result.baseline()));
    f.put("cpu_ms_per_batch", costs);
    f.put("images_per_cpu_s", imagesPerSecond(result.model(), batch));
    f.put("baseline_images_per_cpu_s", imagesPerSecond(result.baseline(), batch));
    f.put("ratio", round(result.pipelineRatio().median(), 3));
    f.put(
        "ratio_quartiles",
        List.of(round(result.pipelineRatio().q1(), 3), round(result.pipelineRatio().q3(), 3)));
    f.put("encoder_ratio", round(result.encoderRatio().median(), 3));
    return f;
  }

  private static Map<String, Object> cost(Cost cost) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("pipeline", quartiles(cost.pipelineMs()));
    c.put("encoder", quartiles(cost.encoderMs()));
    return c;
  }

  private static Map<String, Object> quartiles(Quartiles q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", round(q.median(), 3));
    m.put("q1", round(q.q1(), 3));
    m.put("q3", round(q.q3(), 3));
    return m;
  }

  private static double imagesPerSecond(Cost cost, int batch) {
    return round(batch / (cost.pipelineMs().median() / 1e3), 0);
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  private static TorchScriptClipModel load(Path dir) throws Exception {
    return TorchScriptClipModel.load(ManifestReader.read(dir), ComputeDevice.cpu());
  }
}
