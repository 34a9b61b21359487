package zeroshot.server.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.image.InvalidImageException;
import zeroshot.server.model.image.PreprocessSpec;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * A random-weight ViT-B/32 exported by tools/clip at test time, served from Java: the same tokens
 * and, through Java's preprocessing and DJL's libtorch, the same embeddings as the Python module
 * before tracing (samples/reference_embeddings.json), at batch size 1 and above.
 */
@EnabledIf(
    value = "zeroshot.server.model.ClipExports#canExport",
    disabledReason = ClipExports.NO_EXPORT)
class ClipExportTest {
  private static final double MIN_COSINE = 0.9999;
  private static Path dir;
  private static TorchScriptClipModel model;

  @BeforeAll
  static void load() throws Exception {
    dir = ClipExports.randomVitB32();
    model = TorchScriptClipModel.load(ManifestReader.read(dir), ComputeDevice.cpu());
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void manifestDescribesViTB32WithClipPreprocessing() {
    ModelManifest manifest = model.manifest();

    assertThat(manifest.embeddingDim()).isEqualTo(512);
    assertThat(manifest.image().inputSize()).isEqualTo(224);
    assertThat(manifest.text().contextLength()).isEqualTo(77);
    assertThat(manifest.text().padId()).isZero();
    assertThat(manifest.image().preprocess()).isEqualTo(PreprocessSpec.openAiClip(224));
  }

  @Test
  void textIdsAndEmbeddingsMatchPythonSinglyAndInABatch() {
    List<JsonObject> refs = elements("texts");
    List<String> texts = refs.stream().map(r -> r.get("text").getAsString()).toList();

    long[][] ids = model.tokenize(texts);
    float[][] batch = model.embedTexts(texts);
    float[] single = model.embedTexts(texts.subList(0, 1))[0];

    double worst = 1;
    for (int i = 0; i < refs.size(); i++) {
      long[] expected =
          refs.get(i).getAsJsonArray("ids").asList().stream()
              .mapToLong(JsonElement::getAsLong)
              .toArray();
      assertThat(ids[i]).as(texts.get(i)).containsExactly(expected);
      worst = Math.min(worst, cosine(batch[i], refs.get(i)));
    }
    worst = Math.min(worst, cosine(single, refs.get(0)));
    System.out.printf(
        "random ViT-B/32 texts: worst cosine to Python %.7f (n=%d)%n", worst, refs.size());
    assertThat(worst).isGreaterThanOrEqualTo(MIN_COSINE);
  }

  @Test
  void imageEmbeddingsThroughJavaPreprocessingMatchPython() {
    List<JsonObject> refs = elements("images");
    List<float[]> tensors = refs.stream().map(r -> tensor(r.get("file").getAsString())).toList();

    float[][] batch = model.embedImages(tensors);

    double worst = 1;
    for (int i = 0; i < refs.size(); i++) {
      float[] single = model.embedImages(List.of(tensors.get(i)))[0];
      double cosine = Math.min(cosine(single, refs.get(i)), cosine(batch[i], refs.get(i)));
      System.out.printf(
          "random ViT-B/32 image %s: cosine to Python %.7f%n",
          refs.get(i).get("file").getAsString(), cosine);
      worst = Math.min(worst, cosine);
    }
    assertThat(refs).hasSizeGreaterThanOrEqualTo(3);
    assertThat(worst).isGreaterThanOrEqualTo(MIN_COSINE);
  }

  @Test
  void differentImagesGetDifferentEmbeddings() {
    List<JsonObject> refs = elements("images");
    float[][] vectors =
        model.embedImages(refs.stream().map(r -> tensor(r.get("file").getAsString())).toList());

    // A random model is useless for zero-shot, but a degenerate one (all cosines ~1) would make
    // the parity checks above pass for the wrong reasons.
    assertThat(Vectors.dot(vectors[0], vectors[1])).isLessThan(0.95f);
    assertThat(Vectors.dot(vectors[1], vectors[2])).isLessThan(0.95f);
  }

  private static List<JsonObject> elements(String kind) {
    return ClipExports.reference(dir).getAsJsonArray(kind).asList().stream()
        .map(JsonElement::getAsJsonObject)
        .toList();
  }

  private static double cosine(float[] actual, JsonObject ref) {
    List<JsonElement> values = ref.getAsJsonArray("embedding").asList();
    float[] expected = new float[values.size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = values.get(i).getAsFloat();
    }
    return Vectors.dot(actual, Vectors.normalize(expected));
  }

  private static float[] tensor(String file) {
    try {
      byte[] bytes = Files.readAllBytes(dir.resolve("samples").resolve(file));
      return new ImagePreprocessor(model.manifest().image().preprocess())
          .toTensor(new ImageDecoder(50_000_000L).decode(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InvalidImageException e) {
      throw new AssertionError(file + ": " + e.getMessage(), e);
    }
  }
}
