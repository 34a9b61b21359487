package zeroshot.server.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zeroshot.cli.DurationConverter;
import zeroshot.cli.ReportedPath;
import zeroshot.server.model.DeviceSpec;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.model.torchscript.TorchScriptRuntime;

/**
 * Prints, as JSON, the in-process limit of a model on this machine at each batch size, and the
 * best: {@code java -cp zeroshot-server.jar zeroshot.server.bench.InProcessLimit --help}.
 */
@Command(
    name = "in-process-limit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Decode + preprocess + encode images in batches, no server; prints JSON.")
public final class InProcessLimit implements Callable<Integer> {

  @Option(names = "--model-dir", description = "Model directory. Default: ${DEFAULT-VALUE}")
  Path modelDir = Path.of("models/tiny-clip");

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "Images (png, jpg, jpeg) to cycle through. Default: <model-dir>/samples")
  Path imagesDir;

  @Option(
      names = "--batch-sizes",
      split = ",",
      description = "Batch sizes, measured in turn. Default: 1,8,32")
  List<Integer> batchSizes = List.of(1, 8, 32);

  @Option(names = "--threads", description = "Threads, each running batches. Default: one per core")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--warmup",
      converter = DurationConverter.class,
      description = "Unmeasured time per batch size. Default: 3s")
  Duration warmup = Duration.ofSeconds(3);

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Measured time per batch size. Default: 10s")
  Duration duration = Duration.ofSeconds(10);

  @Option(
      names = "--device",
      description = "cpu, gpu or gpu:N (the first GPU of a list). Default: ${DEFAULT-VALUE}")
  String device = "cpu";

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description =
          "After the measurements, run the image encoder alone on one thread for the measured"
              + " time at the last batch size under libtorch's profiler, into FILE (a Chrome"
              + " trace); bench/profile_ops.py sums it per operator.")
  Path profile;

  public static void main(String[] args) {
    BenchMain.run(InProcessLimit::new, args);
  }

  @Override
  public Integer call() throws Exception {
    List<byte[]> images = read(imagesDir != null ? imagesDir : modelDir.resolve("samples"));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("model_dir", ReportedPath.of(modelDir));
    report.put("images", images.size());
    report.put("threads", threads);
    report.put("warmup_s", warmup.toMillis() / 1e3);
    report.put("duration_s", duration.toMillis() / 1e3);
    List<Map<String, Object>> results = new ArrayList<>();
    Map<String, Object> best = null;
    try (TorchScriptClipModel model =
        TorchScriptClipModel.load(
            ManifestReader.read(modelDir),
            new TorchScriptRuntime().devices(DeviceSpec.parse(device)).get(0))) {
      InProcessPipeline pipeline = new InProcessPipeline(model, images);
      for (int batch : batchSizes) {
        double rate = pipeline.imagesPerSecond(batch, threads, warmup, duration);
        System.err.printf(Locale.ROOT, "batch %d: %.1f images/s%n", batch, rate);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("batch_size", batch);
        result.put("images_per_s", Math.round(rate * 100) / 100.0);
        results.add(result);
        if (best == null || rate > (double) best.get("images_per_s")) {
          best = result;
        }
      }
      report.put("device", model.device());
      if (profile != null) {
        profileEncoder(model, pipeline.tensors(batchSizes.get(batchSizes.size() - 1)));
        report.put("profile", ReportedPath.of(profile));
      }
    }
    report.put("batch_sizes", results);
    report.put("best", best);
    System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(report));
    return 0;
  }

  /**
   * Runs the image encoder alone on this thread for {@code duration} on {@code tensors}, under
   * libtorch's profiler (which records the thread that starts it only), into {@link #profile}.
   */
  private void profileEncoder(TorchScriptClipModel model, List<float[]> tensors) {
    model.embedImages(tensors);
    JniUtils.startProfile(false, false, false);
    long end = System.nanoTime() + duration.toNanos();
    int batches = 0;
    while (System.nanoTime() < end) {
      model.embedImages(tensors);
      batches++;
    }
    JniUtils.stopProfile(profile.toAbsolutePath().toString());
    System.err.printf(
        Locale.ROOT, "profiled %d batches of %d on one thread%n", batches, tensors.size());
  }

  /** The png and jpg images of {@code dir}, in name order. */
  static List<byte[]> read(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<byte[]> images = new ArrayList<>();
      for (Path f :
          files.filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g)")).sorted().toList()) {
        images.add(Files.readAllBytes(f));
      }
      if (images.isEmpty()) {
        throw new IOException(dir + ": no png or jpg images");
      }
      return images;
    }
  }
}
