package zeroshot.server.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zeroshot.server.bench.Java2dShapes.Background;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.image.InvalidImageException;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * Top-1 accuracy of a shapes model on {@link Java2dShapes}, pictures drawn by other software than
 * its training renderer, per background and for seen and held-out colour x shape pairs. Each image
 * goes as a PNG through the server's decoder, preprocessing and TorchScript model, and is scored
 * against all 64 "a photo of a {colour} {shape}" prompts: {@code java -cp zeroshot-server.jar
 * zeroshot.server.bench.IndependentShapesEval --help}.
 */
@Command(
    name = "independent-shapes-eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Accuracy on Java2D-drawn shapes per background, seen and held-out; JSON.")
public final class IndependentShapesEval implements Callable<Integer> {
  static final String PROMPT = "a photo of a %s %s";

  @Option(names = "--model-dir", description = "Model directory. Default: ${DEFAULT-VALUE}")
  Path modelDir = Path.of("models/tiny-clip");

  @Option(names = "--per-cell", description = "Images per background and pair. Default: 25")
  int perCell = 25;

  @Option(names = "--size", description = "Image side, pixels. Default: 96")
  int size = 96;

  @Option(names = "--seed", description = "Seed of the drawings. Default: 27")
  long seed = 27;

  @Option(
      names = "--drawings",
      paramLabel = "DIR",
      description = "Also save the first image of every background and pair as PNG in DIR.")
  Path drawings;

  @Option(
      names = "--update-eval",
      description = "Also write the result into <model-dir>/eval.json as independent_renderer.")
  boolean updateEval;

  public static void main(String[] args) {
    BenchMain.run(IndependentShapesEval::new, args);
  }

  @Override
  public Integer call() throws Exception {
    Set<String> heldOut = heldOutPairs(EvalJson.read(modelDir));
    Map<String, Object> report;
    try (TorchScriptClipModel model =
        TorchScriptClipModel.load(ManifestReader.read(modelDir), ComputeDevice.cpu())) {
      report = evaluate(model, heldOut, List.of(Background.values()), perCell);
    }
    System.out.println(EvalJson.GSON.toJson(report));
    if (updateEval) {
      EvalJson.put(modelDir, "independent_renderer", report);
    }
    return 0;
  }

  /** The held-out pairs ("red star", ...) as eval.json lists them. */
  static Set<String> heldOutPairs(JsonObject eval) {
    List<String> pairs = new ArrayList<>();
    for (JsonElement e : eval.getAsJsonArray("held_out_pairs")) {
      pairs.add(e.getAsString());
    }
    return Set.copyOf(pairs);
  }

  /**
   * Draws {@code perCell} images of every pair on every background in {@code kinds} and scores
   * them; the figures per background, for the plain ones together and for all, seen and held out.
   * The drawing of an image depends only on the seed, its background, its pair and its index, so
   * evaluating some backgrounds gives exactly those backgrounds' figures of a full run.
   */
  Map<String, Object> evaluate(
      EmbeddingModel model, Set<String> heldOut, List<Background> kinds, int perCell) {
    List<String> pairs = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    for (String c : Java2dShapes.COLOURS) {
      for (String s : Java2dShapes.SHAPES) {
        pairs.add(c + " " + s);
        prompts.add(String.format(PROMPT, c, s));
      }
    }
    float[][] labels = model.embedTexts(prompts);
    ImageDecoder decoder = new ImageDecoder(40_000_000);
    ImagePreprocessor preprocessor = new ImagePreprocessor(model.manifest().image().preprocess());
    Map<String, Tally> tallies = new LinkedHashMap<>();
    for (Background kind : kinds) {
      tallies.put(kind.name().toLowerCase(Locale.ROOT), new Tally());
    }
    tallies.put("plain", new Tally());
    tallies.put("all", new Tally());
    Map<String, Integer> mistakes = new TreeMap<>();
    for (Background kind : kinds) {
      for (int p = 0; p < pairs.size(); p++) {
        List<float[]> tensors = new ArrayList<>();
        for (int i = 0; i < perCell; i++) {
          Random rng = new Random(Objects.hash(seed, kind.ordinal(), p, i));
          byte[] png = png(Java2dShapes.render(rng, p / 8, p % 8, kind, size));
          if (drawings != null && i == 0) {
            save(
                drawings.resolve(
                    kind.name().toLowerCase(Locale.ROOT)
                        + "_"
                        + pairs.get(p).replace(' ', '_')
                        + ".png"),
                png);
          }
          try {
            tensors.add(preprocessor.toTensor(decoder.decode(png)));
          } catch (InvalidImageException e) {
            throw new IllegalStateException("a drawn PNG did not decode: " + e.getMessage(), e);
          }
        }
        String split = heldOut.contains(pairs.get(p)) ? "held_out" : "seen";
        for (float[] image : model.embedImages(tensors)) {
          int predicted = argmax(labels, image);
          boolean right = predicted == p;
          for (String key :
              List.of(kind.name().toLowerCase(), kind.plain() ? "plain" : "", "all")) {
            if (!key.isEmpty()) {
              tallies.computeIfAbsent(key, k -> new Tally()).add(split, right);
            }
          }
          if (!right && split.equals("held_out")) {
            mistakes.merge(pairs.get(p) + " -> " + pairs.get(predicted), 1, Integer::sum);
          }
        }
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("renderer", "Java2D (zeroshot.server.bench.Java2dShapes), PNG through the server");
    report.put("seed", seed);
    report.put("per_cell", perCell);
    report.put("image_size", size);
    report.put("labels", "all 64 '" + String.format(PROMPT, "{c}", "{s}") + "'");
    tallies.forEach((k, t) -> report.put(k, t.empty() ? null : t.figures()));
    report.values().removeIf(Objects::isNull);
    report.put(
        "held_out_mistakes",
        mistakes.entrySet().stream()
            .sorted((a, b) -> b.getValue() - a.getValue())
            .limit(12)
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
    return report;
  }

  private static void save(Path file, byte[] png) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int argmax(float[][] labels, float[] image) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < labels.length; j++) {
      double dot = 0;
      for (int d = 0; d < image.length; d++) {
        dot += labels[j][d] * image[d];
      }
      if (dot > bestScore) {
        bestScore = dot;
        best = j;
      }
    }
    return best;
  }

  private static byte[] png(java.awt.image.BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Right and total counts of the seen and the held-out images of one background (or all). */
  private static final class Tally {
    private final int[] right = new int[2];
    private final int[] total = new int[2];

    void add(String split, boolean correct) {
      int i = split.equals("seen") ? 0 : 1;
      total[i]++;
      right[i] += correct ? 1 : 0;
    }

    boolean empty() {
      return total[0] + total[1] == 0;
    }

    Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("seen", split(0));
      f.put("held_out", split(1));
      return f;
    }

    private Map<String, Object> split(int i) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("top1", Math.round(1e4 * right[i] / total[i]) / 1e4);
      f.put("n", total[i]);
      return f;
    }
  }
}
