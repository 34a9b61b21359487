package zeroshot.server.labels;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.config.LabelSettings;
import zeroshot.server.config.Limits;
import zeroshot.server.config.ModelSettings;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.ZeroShotServiceGrpc.ZeroShotServiceBlockingStub;

/**
 * What forcing a label set to disk costs per put, on the disk that holds the temporary directory.
 * Files alone: {@link LabelSetFiles#write} (temporary file forced, renamed, directory forced)
 * against the same write without the two forces (what it did before issue 29). Over gRPC, on the
 * bundled model over loopback: PutLabelSet of one 10-label set, its prompts cached, against a
 * server with {@code --label-set-dir} and one without. Blocks of 50 calls alternate between the
 * cases, 20 warm-up calls then 400 measured per case. Prints numbers and writes
 * server/target/benchmarks/label-set-durability.json; asserts nothing. Run:
 *
 * <pre>
 * mvn -B -pl server -am test -Dtest=LabelSetDurabilityBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.excluded=none -Dgroups=benchmark
 * </pre>
 */
@Tag("benchmark")
class LabelSetDurabilityBenchmark {
  private static final int CALLS = 400;
  private static final int BLOCK = 50;

  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  @TempDir Path dir;

  @Test
  void costOfForcingAPut() throws Exception {
    LabelSetDefinition set =
        new LabelSetDefinition(
            "bench",
            "tiny-clip",
            labels().stream()
                .map(l -> new LabelSetDefinition.Entry(l, List.of(), List.of()))
                .toList(),
            List.of("a photo of a {}"));
    LabelSetFiles forced = LabelSetFiles.in(dir.resolve("forced"));
    Path unforced = Files.createDirectories(dir.resolve("unforced/tiny-clip"));
    byte[] json =
        new GsonBuilder().setPrettyPrinting().create().toJson(set).getBytes(StandardCharsets.UTF_8);
    Histogram[] files =
        alternate(
            () -> forced.write(set),
            () -> {
              try {
                Path tmp = Files.createTempFile(unforced, "bench.", ".tmp");
                Files.write(tmp, json);
                Files.move(tmp, unforced.resolve("bench.json"), REPLACE_EXISTING, ATOMIC_MOVE);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("calls_each", CALLS);
    report.put("file_bytes", json.length);
    report.put("files_forced", percentiles(files[0]));
    report.put("files_unforced", percentiles(files[1]));
    report.put("files_force_cost_mean_ms", round((files[0].getMean() - files[1].getMean()) / 1e3));

    try (RunningServer persistent = server(Optional.of(dir.resolve("grpc")));
        RunningServer memory = server(Optional.empty())) {
      ZeroShotServiceBlockingStub toDisk = persistent.blocking();
      ZeroShotServiceBlockingStub toMemory = memory.blocking();
      PutLabelSetRequest put = put();
      Histogram[] grpc = alternate(() -> toDisk.putLabelSet(put), () -> toMemory.putLabelSet(put));
      report.put("grpc_put_label_set_dir", percentiles(grpc[0]));
      report.put("grpc_put_memory_only", percentiles(grpc[1]));
      report.put("grpc_force_cost_mean_ms", round((grpc[0].getMean() - grpc[1].getMean()) / 1e3));
    }
    String out = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    Path file = TestModels.repoRoot().resolve("server/target/benchmarks/label-set-durability.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out + "\n");
    System.out.println(out);
  }

  /** Latencies of {@code a} and {@code b}, in microseconds, measured in alternating blocks. */
  private static Histogram[] alternate(Runnable a, Runnable b) {
    for (int i = 0; i < 20; i++) {
      a.run();
      b.run();
    }
    Histogram[] h = {new Histogram(3), new Histogram(3)};
    Runnable[] calls = {a, b};
    for (int done = 0; done < CALLS; done += BLOCK) {
      for (int c = 0; c < 2; c++) {
        for (int i = 0; i < BLOCK; i++) {
          long t0 = System.nanoTime();
          calls[c].run();
          h[c].recordValue((System.nanoTime() - t0) / 1_000);
        }
      }
    }
    return h;
  }

  private static RunningServer server(Optional<Path> setDir) throws Exception {
    LabelSettings labels =
        new LabelSettings(LabelSettings.DEFAULT_CACHE_BYTES, setDir, LabelSetLimits.defaults(256));
    return RunningServer.ready(
        RunningServer.withoutMetrics(
            RunningServer.config(
                List.of(TestModels.tinyClip()),
                0,
                1_024,
                Limits.defaults(),
                Duration.ofSeconds(5),
                ModelSettings.NONE,
                labels)),
        TorchScriptClipModel::load);
  }

  private static List<String> labels() {
    return IntStream.range(0, 10).mapToObj(i -> "label " + i).toList();
  }

  private static PutLabelSetRequest put() {
    LabelSet.Builder set =
        LabelSet.newBuilder().setName("bench").addPromptTemplates("a photo of a {}");
    labels().forEach(l -> set.addLabels(LabelSetEntry.newBuilder().setLabel(l)));
    return PutLabelSetRequest.newBuilder().setLabelSet(set).build();
  }

  private static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("mean_ms", round(h.getMean() / 1e3));
    r.put("p50_ms", round(h.getValueAtPercentile(50) / 1e3));
    r.put("p99_ms", round(h.getValueAtPercentile(99) / 1e3));
    r.put("max_ms", round(h.getMaxValue() / 1e3));
    return r;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
