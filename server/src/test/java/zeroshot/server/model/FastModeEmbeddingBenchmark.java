package zeroshot.server.model;

import com.google.gson.GsonBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.image.JpegFiles;
import zeroshot.server.model.image.PreprocessMode;
import zeroshot.server.model.image.ScaledJpegDecoder;
import zeroshot.server.model.image.TurboJpegInstalled;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * Embedding cosine of the fast preprocessing mode against the exact one, on the random-weight
 * ViT-B/32 export (tools/clip, made by {@link ClipExports}) and on the bundled tiny-clip, for
 * CLIP's reference photos made large at run time (scaled up, and tiled: the worst case). Prints and
 * writes server/target/benchmarks/fast-mode-embeddings.json; asserts nothing. Run:
 *
 * <pre>
 * mvn -B -o -pl server test -Dtest=FastModeEmbeddingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.excluded=none -Dgroups=benchmark
 * </pre>
 */
@EnabledIf(
    value = "zeroshot.server.model.image.TurboJpegInstalled#check",
    disabledReason = TurboJpegInstalled.MISSING)
@Tag("benchmark")
class FastModeEmbeddingBenchmark {
  @Test
  void embeddingCosineFastAgainstExact() throws Exception {
    Path photos = TestModels.clipReferencePhotos();
    Map<String, byte[]> images = new LinkedHashMap<>();
    byte[] rocket = Files.readAllBytes(photos.resolve("rocket.jpg"));
    byte[] chelsea = Files.readAllBytes(photos.resolve("chelsea.png"));
    byte[] camera = Files.readAllBytes(photos.resolve("camera.png"));
    images.put("rocket scaled 4032x3024", JpegFiles.scaled(rocket, 4032, 3024));
    images.put("rocket scaled 1920x1080", JpegFiles.scaled(rocket, 1920, 1080));
    images.put("chelsea scaled 3024x4032", JpegFiles.scaled(chelsea, 3024, 4032));
    images.put("camera scaled 1789x3578", JpegFiles.scaled(camera, 1789, 3578));
    images.put("rocket tiled 1920x1080", JpegFiles.tiled(rocket, 1920, 1080));
    images.put("camera tiled 1789x3578", JpegFiles.tiled(camera, 1789, 3578));

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("vit-b-32-random", cosines(ClipExports.randomVitB32(), images));
    report.put("tiny-clip", cosines(TestModels.tinyClip(), images));
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    System.out.println(json);
    Path out = Path.of("target/benchmarks/fast-mode-embeddings.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
  }

  private static Map<String, Object> cosines(Path modelDir, Map<String, byte[]> images)
      throws Exception {
    ImageDecoder decoder = new ImageDecoder(50_000_000L, ScaledJpegDecoder.load());
    Map<String, Object> rows = new LinkedHashMap<>();
    try (TorchScriptClipModel model =
        TorchScriptClipModel.load(ManifestReader.read(modelDir), ComputeDevice.cpu())) {
      ImagePreprocessor preprocessor = new ImagePreprocessor(model.manifest().image().preprocess());
      int shortSide = model.manifest().image().preprocess().resizeShortSide();
      for (Map.Entry<String, byte[]> e : images.entrySet()) {
        float[] exact = preprocessor.toTensor(decoder.decode(e.getValue()));
        float[] fast =
            preprocessor.toTensor(decoder.decode(e.getValue(), PreprocessMode.FAST, shortSide));
        float[][] vectors = model.embedImages(List.of(exact, fast));
        rows.put(e.getKey(), Math.round(Vectors.dot(vectors[0], vectors[1]) * 1e7) / 1e7);
      }
    }
    return rows;
  }
}
