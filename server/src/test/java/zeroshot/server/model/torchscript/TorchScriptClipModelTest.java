package zeroshot.server.model.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.TinyClipSamples;
import zeroshot.server.model.TinyClipSamples.Sample;
import zeroshot.server.model.Vectors;

/** The bundled model run from Java against the Python reference made by tools/tinyclip. */
class TorchScriptClipModelTest {
  private static TorchScriptClipModel model;

  @BeforeAll
  static void load() throws Exception {
    model =
        TorchScriptClipModel.load(ManifestReader.read(TestModels.tinyClip()), ComputeDevice.cpu());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void tokenizesExactlyAsTheTrainingTokenizer() {
    for (JsonElement e : TinyClipSamples.referenceEmbeddings().getAsJsonArray("texts")) {
      JsonObject ref = e.getAsJsonObject();
      long[] expected = toLongs(ref.getAsJsonArray("ids").asList());

      long[] ids = model.tokenize(List.of(ref.get("text").getAsString()))[0];

      assertThat(ids).as(ref.get("text").getAsString()).containsExactly(expected);
    }
  }

  @Test
  void textEmbeddingsMatchPython() {
    double worst = 1;
    for (JsonElement e : TinyClipSamples.referenceEmbeddings().getAsJsonArray("texts")) {
      JsonObject ref = e.getAsJsonObject();
      float[] expected = toFloats(ref.getAsJsonArray("embedding").asList());

      float[] actual = model.embedTexts(List.of(ref.get("text").getAsString()))[0];

      double cosine = Vectors.dot(actual, expected);
      worst = Math.min(worst, cosine);
      assertThat(cosine).as(ref.get("text").getAsString()).isGreaterThanOrEqualTo(0.999);
    }
    System.out.printf("text embeddings: worst cosine to Python %.6f%n", worst);
  }

  @Test
  void imageEmbeddingsMatchPython() {
    double worst = 1;
    for (JsonElement e : TinyClipSamples.referenceEmbeddings().getAsJsonArray("images")) {
      JsonObject ref = e.getAsJsonObject();
      String file = ref.get("file").getAsString();
      float[] expected = toFloats(ref.getAsJsonArray("embedding").asList());

      float[] actual =
          model.embedImages(List.of(TinyClipSamples.tensor(file, model.manifest())))[0];

      double cosine = Vectors.dot(actual, expected);
      worst = Math.min(worst, cosine);
      System.out.printf("image %s: cosine to Python %.6f%n", file, cosine);
      assertThat(cosine).as(file).isGreaterThanOrEqualTo(0.99);
    }
    System.out.printf("image embeddings: worst cosine to Python %.6f%n", worst);
  }

  @Test
  void classifiesTheSampleSetAsWellAsThePythonEvaluation() {
    JsonObject python = TinyClipSamples.evalJson().getAsJsonObject("samples");
    Map<String, List<Sample>> byKind =
        TinyClipSamples.all().stream().collect(Collectors.groupingBy(Sample::kind));
    assertThat(byKind.keySet()).containsExactlyInAnyOrder("shape", "fashion");

    for (var entry : byKind.entrySet()) {
      JsonObject expected = python.getAsJsonObject(entry.getKey());
      List<String> labels =
          expected.getAsJsonArray("labels").asList().stream()
              .map(JsonElement::getAsString)
              .toList();
      String prompt = expected.get("prompt").getAsString();
      float[][] labelVectors =
          model.embedTexts(labels.stream().map(l -> prompt.replace("{}", l)).toList());
      List<float[]> tensors = new ArrayList<>();
      entry
          .getValue()
          .forEach(s -> tensors.add(TinyClipSamples.tensor(s.file(), model.manifest())));
      float[][] images = model.embedImages(tensors);

      int correct = 0;
      int samePrediction = 0;
      for (int i = 0; i < images.length; i++) {
        String predicted = labels.get(argmax(images[i], labelVectors));
        Sample sample = entry.getValue().get(i);
        correct += predicted.equals(sample.label()) ? 1 : 0;
        String pythonPrediction =
            python.getAsJsonObject("predictions").get(sample.file()).getAsString();
        samePrediction += predicted.equals(pythonPrediction) ? 1 : 0;
      }
      double accuracy = (double) correct / images.length;
      System.out.printf(
          "samples %s: Java top-1 %.2f%% vs Python %.2f%% (n=%d), same prediction %d/%d%n",
          entry.getKey(),
          100 * accuracy,
          100 * expected.get("top1").getAsDouble(),
          images.length,
          samePrediction,
          images.length);
      assertThat(accuracy).isCloseTo(expected.get("top1").getAsDouble(), within(0.02));
    }
  }

  @Test
  void batchesGiveTheSameVectorsAsSingleCalls() {
    List<Sample> samples = TinyClipSamples.all().subList(0, 5);
    List<float[]> tensors =
        samples.stream().map(s -> TinyClipSamples.tensor(s.file(), model.manifest())).toList();

    float[][] batch = model.embedImages(tensors);

    for (int i = 0; i < tensors.size(); i++) {
      float[] single = model.embedImages(List.of(tensors.get(i)))[0];
      assertThat(Vectors.dot(batch[i], single)).isGreaterThan(0.99999f);
      assertThat(Vectors.dot(single, single)).isCloseTo(1f, within(1e-5f));
    }
  }

  @Test
  void warmingUpEveryBatchSizeLeavesEmbeddingsUnchanged() throws Exception {
    JsonObject ref =
        TinyClipSamples.referenceEmbeddings().getAsJsonArray("texts").get(0).getAsJsonObject();
    float[] expected = toFloats(ref.getAsJsonArray("embedding").asList());
    List<float[]> images =
        TinyClipSamples.all().subList(0, 4).stream()
            .map(s -> TinyClipSamples.tensor(s.file(), model.manifest()))
            .toList();
    float[][] before = model.embedImages(images);

    model.warmUp(4);

    float[] text = model.embedTexts(List.of(ref.get("text").getAsString()))[0];
    assertThat((double) Vectors.dot(text, expected)).isGreaterThanOrEqualTo(0.999);
    float[][] after = model.embedImages(images);
    for (int i = 0; i < images.size(); i++) {
      assertThat(Vectors.dot(after[i], before[i])).isGreaterThan(0.99999f);
    }
    assertThatThrownBy(() -> model.warmUp(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBatchSize: 0 (expected: >= 1)");
  }

  @Test
  void truncatesLongTextsToTheContextLength() {
    String longText = "a red star ".repeat(40);

    long[] ids = model.tokenize(List.of(longText))[0];

    assertThat(ids).hasSize(model.manifest().text().contextLength()).doesNotContain(0L);
    assertThat(model.embedTexts(List.of(longText))[0]).hasSize(128);
  }

  @Test
  void rejectsImageTensorOfTheWrongSize() {
    assertThatThrownBy(() -> model.embedImages(List.of(new float[3 * 28 * 28])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image tensor: 2352 floats (expected: 3072)");
  }

  @Test
  void emptyBatchesNeedNoModelCall() {
    assertThat(model.embedImages(List.of())).isEmpty();
    assertThat(model.embedTexts(List.of())).isEmpty();
  }

  static int argmax(float[] image, float[][] labels) {
    int best = 0;
    for (int j = 1; j < labels.length; j++) {
      if (Vectors.dot(image, labels[j]) > Vectors.dot(image, labels[best])) {
        best = j;
      }
    }
    return best;
  }

  private static float[] toFloats(List<JsonElement> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).getAsFloat();
    }
    return out;
  }

  private static long[] toLongs(List<JsonElement> values) {
    return values.stream().mapToLong(JsonElement::getAsLong).toArray();
  }
}
