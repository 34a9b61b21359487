package zeroshot.server.model;

import com.google.gson.GsonBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * CPU speed and memory of a ViT-B/32-shape CLIP served from Java: the random-weight export of
 * tools/clip (same shapes and FLOPs as OpenAI's, so the same cost), one caller, libtorch using
 * every core. Prints numbers and writes server/target/benchmarks/clip-vit-b-32.json; asserts
 * nothing. Run:
 *
 * <pre>
 * mvn -B -o -pl server -am test -Dtest=ClipModelBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.excluded=none -Dgroups=benchmark
 * </pre>
 */
@Tag("benchmark")
class ClipModelBenchmark {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  static {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(CORES));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  @Test
  void vitB32SpeedAndMemoryOnCpu() throws Exception {
    Path dir = ClipExports.randomVitB32();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("cores", CORES);
    report.put("intra_op_threads", CORES);
    report.put("rss_mib_before_load", rssMib());
    long t0 = System.nanoTime();
    try (TorchScriptClipModel model =
        TorchScriptClipModel.load(ManifestReader.read(dir), ComputeDevice.cpu())) {
      report.put("load_and_warm_up_s", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
      report.put("rss_mib_after_load", rssMib());
      float[] image = new float[3 * 224 * 224];
      for (int batch : new int[] {1, 8}) {
        List<float[]> images = Collections.nCopies(batch, image);
        List<String> texts = Collections.nCopies(batch, "a photo of a tabby cat.");
        model.warmUp(batch);
        report.put("images_per_s_batch_" + batch, rate(batch, i -> model.embedImages(images)));
        report.put("texts_per_s_batch_" + batch, rate(batch, i -> model.embedTexts(texts)));
      }
      report.put("rss_mib_after_runs", rssMib());
    }
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    System.out.println(json);
    Path out = Path.of("target/benchmarks/clip-vit-b-32.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
  }

  /** Items per second over about 10 s (at least 3 calls) after two untimed calls. */
  private static double rate(int batch, Consumer<Integer> call) {
    call.accept(0);
    call.accept(0);
    int calls = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      call.accept(calls++);
      elapsed = System.nanoTime() - start;
    } while (calls < 3 || elapsed < 10_000_000_000L);
    return Math.round(10.0 * batch * calls / (elapsed / 1e9)) / 10.0;
  }

  private static long rssMib() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return -1;
  }
}
