package zeroshot.server.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zeroshot.cli.ReportedPath;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.RowCosines;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * Prints, as JSON, how close a model's embeddings are to a reference model's on the same images and
 * texts (the worst and the mean cosine): a reduced-precision copy against its float32 original,
 * {@code java -cp zeroshot-server.jar zeroshot.server.bench.EmbeddingAgreement --help}.
 */
@Command(
    name = "embedding-agreement",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Cosine of a model's image and text embeddings to a reference model's; JSON.")
public final class EmbeddingAgreement implements Callable<Integer> {
  /** Prompts of the kinds users send: CLIP templates over everyday, shape and clothing labels. */
  static final List<String> DEFAULT_TEXTS =
      List.of(
          "a photo of a cat",
          "a photo of a dog",
          "a photo of a red star",
          "a photo of a blue circle",
          "a photo of a green square",
          "a photo of a sneaker",
          "a photo of a bag",
          "a photo of a t-shirt",
          "a photo of a trouser",
          "a photo of an ankle boot",
          "a blurry photo of a horse",
          "a close-up photo of a camera",
          "a diagram of the solar system",
          "two dogs playing on a beach",
          "a rocket on the launch pad",
          "a black and white photo of a coat",
          "red",
          "star",
          "a purple cross",
          "an orange heart on a white background");

  @Option(names = "--reference", required = true, description = "Reference model directory.")
  Path reference;

  @Option(names = "--model-dir", required = true, description = "Model directory to compare.")
  Path modelDir;

  @Option(
      names = "--images",
      split = ",",
      paramLabel = "DIR",
      description = "Folders of images (png, jpg, jpeg). Default: <reference>/samples")
  List<Path> imageDirs;

  @Option(
      names = "--batch-size",
      description = "Images per encoder call. Default: ${DEFAULT-VALUE}")
  int batchSize = 8;

  public static void main(String[] args) {
    BenchMain.run(EmbeddingAgreement::new, args);
  }

  @Override
  public Integer call() throws Exception {
    List<Path> files =
        images(imageDirs != null ? imageDirs : List.of(reference.resolve("samples")));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("reference", ReportedPath.of(reference));
    report.put("model_dir", ReportedPath.of(modelDir));
    try (TorchScriptClipModel ref =
            TorchScriptClipModel.load(ManifestReader.read(reference), ComputeDevice.cpu());
        TorchScriptClipModel model =
            TorchScriptClipModel.load(ManifestReader.read(modelDir), ComputeDevice.cpu())) {
      report.put("image_precision", model.manifest().image().precision().toString());
      report.put("text_precision", model.manifest().text().precision().toString());
      ImagePreprocessor preprocessor = new ImagePreprocessor(ref.manifest().image().preprocess());
      ImageDecoder decoder = new ImageDecoder(50_000_000L);
      List<float[]> tensors = new ArrayList<>();
      for (Path f : files) {
        tensors.add(preprocessor.toTensor(decoder.decode(Files.readAllBytes(f))));
      }
      RowCosines images = new RowCosines();
      for (int from = 0; from < tensors.size(); from += batchSize) {
        List<float[]> batch = tensors.subList(from, Math.min(from + batchSize, tensors.size()));
        images.add(ref.embedImages(batch), model.embedImages(batch));
      }
      RowCosines texts =
          new RowCosines().add(ref.embedTexts(DEFAULT_TEXTS), model.embedTexts(DEFAULT_TEXTS));
      report.put("images", summary(images));
      report.put("texts", summary(texts));
    }
    System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(report));
    return 0;
  }

  private static List<Path> images(List<Path> dirs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : dirs) {
      try (Stream<Path> list = Files.list(dir)) {
        files.addAll(
            list.filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g)")).sorted().toList());
      }
    }
    if (files.isEmpty()) {
      throw new IOException(dirs + ": no png or jpg images");
    }
    return files;
  }

  private static Map<String, Object> summary(RowCosines cosines) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", cosines.count());
    m.put("min_cosine", Math.round(cosines.min() * 1e6) / 1e6);
    m.put("mean_cosine", Math.round(cosines.mean() * 1e6) / 1e6);
    return m;
  }
}
