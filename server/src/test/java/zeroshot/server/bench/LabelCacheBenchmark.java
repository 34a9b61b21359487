package zeroshot.server.bench;

import com.google.gson.GsonBuilder;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.BatchStats;
import zeroshot.server.testing.CountingLoader;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.Image;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.PutLabelSetRequest;

/**
 * What the label cache and label sets buy, on the bundled model over loopback, one caller at a
 * time. Prints numbers and writes server/target/benchmarks/labels.json; asserts nothing. Run:
 *
 * <pre>
 * mvn -B -pl server -am test -Dtest=LabelCacheBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.excluded=none -Dgroups=benchmark
 * </pre>
 */
@Tag("benchmark")
class LabelCacheBenchmark {
  private static final int CALLS = 300;

  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  @Test
  void labelSetsAndTheCache() throws Exception {
    CountingLoader counting = new CountingLoader(TorchScriptClipModel::load);
    try (RunningServer running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 0, 1_024, Limits.defaults(), Duration.ofSeconds(5)),
            counting)) {
      var stub = running.blocking();
      byte[] image =
          Files.readAllBytes(TestModels.tinyClip().resolve("samples/shape_013_red_star.png"));
      stub.putLabelSet(put("ten", labels(10)));
      stub.putLabelSet(put("thousand", labels(1_000)));
      ClassifyRequest.Builder base =
          ClassifyRequest.newBuilder()
              .setImage(Image.newBuilder().setEncoded(ByteString.copyFrom(image)))
              .setTopK(5);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("date", Instant.now().toString());
      report.put("calls_each", CALLS);

      Histogram ten = latencies(() -> stub.classify(base.setLabelSet("ten").build()));
      Histogram thousand = latencies(() -> stub.classify(base.setLabelSet("thousand").build()));
      report.put("set_10_labels", percentiles(ten));
      report.put("set_1000_labels", percentiles(thousand));
      report.put(
          "p50_ratio_1000_vs_10",
          round((double) thousand.getValueAtPercentile(50) / ten.getValueAtPercentile(50)));

      ClassifyRequest adHoc =
          base.clearLabelSet()
              .addAllLabels(labels(1_000))
              .setPromptTemplate("a picture of {}")
              .build();
      BatchStats text = counting.textStats();
      long itemsBefore = text.items();
      long t0 = System.nanoTime();
      stub.classify(adHoc);
      double firstMs = (System.nanoTime() - t0) / 1e6;
      long encodedFirst = text.items() - itemsBefore;
      itemsBefore = text.items();
      Histogram repeated = latencies(() -> stub.classify(adHoc));
      report.put("adhoc_1000_first_call_ms", round(firstMs));
      report.put("adhoc_1000_first_call_texts_encoded", encodedFirst);
      report.put("adhoc_1000_repeated", percentiles(repeated));
      report.put(
          "text_encoder_items_per_warm_classification",
          round((double) (text.items() - itemsBefore) / (CALLS + 50)));

      String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
      Path out = TestModels.repoRoot().resolve("server/target/benchmarks/labels.json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, json + "\n");
      System.out.println(json);
    }
  }

  private static Histogram latencies(Runnable call) {
    for (int i = 0; i < 50; i++) {
      call.run(); // warm-up
    }
    Histogram h = new Histogram(3);
    for (int i = 0; i < CALLS; i++) {
      long t0 = System.nanoTime();
      call.run();
      h.recordValue((System.nanoTime() - t0) / 1_000);
    }
    return h;
  }

  private static List<String> labels(int n) {
    return IntStream.range(0, n).mapToObj(i -> "label " + i).toList();
  }

  private static PutLabelSetRequest put(String name, List<String> labels) {
    LabelSet.Builder set =
        LabelSet.newBuilder().setName(name).addPromptTemplates("a photo of a {}");
    labels.forEach(l -> set.addLabels(LabelSetEntry.newBuilder().setLabel(l)));
    return PutLabelSetRequest.newBuilder().setLabelSet(set).build();
  }

  private static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("p50_ms", round(h.getValueAtPercentile(50) / 1e3));
    r.put("p99_ms", round(h.getValueAtPercentile(99) / 1e3));
    r.put("max_ms", round(h.getMaxValue() / 1e3));
    return r;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
