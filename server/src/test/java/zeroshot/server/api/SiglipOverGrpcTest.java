package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.FloatValue;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.config.Limits;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.Vectors;
import zeroshot.server.model.siglip.SiglipExports;
import zeroshot.server.model.siglip.SiglipExports.Family;
import zeroshot.server.model.text.TokenIds;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.Npz;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedImagesResponse;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.EmbedTextsResponse;
import zeroshot.v1.Image;
import zeroshot.v1.LabelScore;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.ListModelsRequest;
import zeroshot.v1.ModelInfo;
import zeroshot.v1.PixelFormat;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.RawImage;

/**
 * The tiny reference SigLIP and SigLIP 2 NaFlex, written as Hugging Face folders, exported by
 * tools/siglip and served over a real loopback port: images sent as raw pixels come back as
 * transformers' embeddings, texts as the embeddings of transformers' token ids for them, and
 * Classify scores each label by its own sigmoid, also from a label set.
 */
@EnabledIf(
    value = "zeroshot.server.model.siglip.SiglipExports#canExport",
    disabledReason = SiglipExports.NO_EXPORT)
class SiglipOverGrpcTest {
  private static final double TOLERANCE = 1e-5;
  private static RunningServer running;

  @BeforeAll
  static void start() throws Exception {
    running =
        RunningServer.ready(
            RunningServer.config(
                List.of(
                    SiglipExports.modelDir(Family.SIGLIP), SiglipExports.modelDir(Family.SIGLIP2)),
                2,
                64,
                Limits.defaults(),
                Duration.ofSeconds(5)),
            TorchScriptClipModel::load);
  }

  @AfterAll
  static void stop() throws Exception {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void listModelsReportsTheFamiliesAndTheirSigmoidScoring() {
    List<ModelInfo> models =
        running.blocking().listModels(ListModelsRequest.getDefaultInstance()).getModelsList();

    assertThat(models)
        .extracting(ModelInfo::getName)
        .containsExactly("tiny-siglip", "tiny-siglip2");
    assertThat(models).extracting(ModelInfo::getFamily).containsExactly("siglip", "siglip2");
    assertThat(models).extracting(ModelInfo::getScoring).containsOnly("sigmoid");
    assertThat(models).extracting(ModelInfo::getLogitBias).containsOnly(-1.5f);
    assertThat(models.get(0).getLogitScale()).isCloseTo(10f, within(1e-5f));
    assertThat(models.get(0).getImageSize()).isEqualTo(224);
    assertThat(models.get(0).getMaxPatches()).isZero();
    assertThat(models.get(1).getImageSize()).isZero();
    assertThat(models.get(1).getPatchSize()).isEqualTo(16);
    assertThat(models.get(1).getMaxPatches()).isEqualTo(96);
    assertThat(models).extracting(ModelInfo::getContextLength).containsOnly(64);
  }

  @Test
  void servedImageEmbeddingsAreTransformersOwn() {
    for (Family family : Family.values()) {
      Npz in = SiglipExports.reference(family.files() + "_inputs.npz");
      EmbedImagesRequest.Builder request = EmbedImagesRequest.newBuilder().setModel(name(family));
      for (int i = 0; i < 3; i++) {
        request.addImages(raw(in.get("image" + i + "_uint8")));
      }

      EmbedImagesResponse response = running.blocking().embedImages(request.build());

      float[] expected =
          SiglipExports.reference(family.files() + "_outputs.npz").get("image_embeds").floats();
      double worst = 0;
      for (int i = 0; i < 3; i++) {
        List<Float> values = response.getEmbeddings(i).getValuesList();
        for (int j = 0; j < 64; j++) {
          worst = Math.max(worst, Math.abs(values.get(j) - expected[i * 64 + j]));
        }
      }
      System.out.printf("%s images over gRPC: max abs diff %.2g%n", family, worst);
      assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @Test
  void servedTextEmbeddingsAreThoseOfTransformersTokenIds() throws Exception {
    for (Family family : Family.values()) {
      // transformers' ids for the reference texts (tools/siglip/tests/reference), embedded
      // in-process by the same export; SigLIP 2 lower-cases by default, so only texts already in
      // lower case are compared for it.
      JsonArray cases = cases(family);
      List<String> texts = new ArrayList<>();
      List<long[]> ids = new ArrayList<>();
      List<Integer> lengths = new ArrayList<>();
      for (JsonElement e : cases) {
        JsonObject c = e.getAsJsonObject();
        String text = c.get("text").getAsString();
        if (text.isBlank()
            || (family == Family.SIGLIP2 && !text.equals(text.toLowerCase(Locale.ROOT)))) {
          continue;
        }
        texts.add(text);
        ids.add(
            c.getAsJsonArray("input_ids").asList().stream()
                .mapToLong(JsonElement::getAsLong)
                .toArray());
        lengths.add(
            c.getAsJsonArray("attention_mask").asList().stream()
                .mapToInt(JsonElement::getAsInt)
                .sum());
      }
      float[][] expected;
      try (TorchScriptClipModel local =
          TorchScriptClipModel.load(
              ManifestReader.read(SiglipExports.modelDir(family)), ComputeDevice.cpu())) {
        expected =
            local.embedTokens(
                new TokenIds(
                    ids.toArray(long[][]::new), lengths.stream().mapToInt(i -> i).toArray()));
      }

      EmbedTextsResponse response =
          running
              .blocking()
              .embedTexts(
                  EmbedTextsRequest.newBuilder().setModel(name(family)).addAllTexts(texts).build());

      double worst = 0;
      for (int i = 0; i < texts.size(); i++) {
        List<Float> values = response.getEmbeddings(i).getValuesList();
        for (int j = 0; j < 64; j++) {
          worst = Math.max(worst, Math.abs(values.get(j) - expected[i][j]));
        }
      }
      System.out.printf(
          "%s: %d reference texts over gRPC, max abs diff %.2g%n", family, texts.size(), worst);
      assertThat(texts).hasSizeGreaterThan(15);
      assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  @Test
  void classifyGivesEachLabelItsOwnSigmoidProbability() {
    for (Family family : Family.values()) {
      Npz in = SiglipExports.reference(family.files() + "_inputs.npz");
      List<String> labels = List.of("a cat", "a dog", "new york city", "a red star");
      ClassifyRequest request =
          ClassifyRequest.newBuilder()
              .setModel(name(family))
              .setImage(raw(in.get("image1_uint8")))
              .addAllLabels(labels)
              .setPromptTemplate("This is a photo of {}.")
              .build();

      ClassifyResponse response = running.blocking().classify(request);

      float[] image =
          TinyClipOverGrpcTest.values(
              running
                  .blocking()
                  .embedImages(
                      EmbedImagesRequest.newBuilder()
                          .setModel(name(family))
                          .addImages(raw(in.get("image1_uint8")))
                          .build())
                  .getEmbeddings(0)
                  .getValuesList());
      List<String> prompts = labels.stream().map(l -> "This is a photo of " + l + ".").toList();
      EmbedTextsResponse texts =
          running
              .blocking()
              .embedTexts(
                  EmbedTextsRequest.newBuilder()
                      .setModel(name(family))
                      .addAllTexts(prompts)
                      .build());
      assertThat(response.getScoresList()).hasSize(4);
      double sum = 0;
      for (LabelScore s : response.getScoresList()) {
        float cosine =
            Vectors.dot(
                image,
                TinyClipOverGrpcTest.values(
                    texts.getEmbeddings(labels.indexOf(s.getLabel())).getValuesList()));
        double expected = 1 / (1 + Math.exp(-(10.0 * cosine - 1.5)));
        assertThat(s.getCosine()).isCloseTo(cosine, within(1e-5f));
        assertThat((double) s.getProbability()).isCloseTo(expected, within(TOLERANCE));
        sum += s.getProbability();
      }
      // Not a softmax over the four.
      assertThat(Math.abs(sum - 1)).isGreaterThan(0.01);
      for (int i = 1; i < 4; i++) {
        assertThat(response.getScores(i).getProbability())
            .isLessThanOrEqualTo(response.getScores(i - 1).getProbability());
      }
    }
  }

  @Test
  void minScoreThresholdsTheSigmoidProbabilityAndALabelSetScoresAlike() {
    Npz in = SiglipExports.reference("siglip_inputs.npz");
    LabelSet set =
        LabelSet.newBuilder()
            .setName("things")
            .setModel("tiny-siglip")
            .addPromptTemplates("This is a photo of {}.")
            .addLabels(LabelSetEntry.newBuilder().setLabel("a cat"))
            .addLabels(LabelSetEntry.newBuilder().setLabel("a dog"))
            .build();
    running.blocking().putLabelSet(PutLabelSetRequest.newBuilder().setLabelSet(set).build());
    ClassifyRequest.Builder byLabels =
        ClassifyRequest.newBuilder()
            .setModel("tiny-siglip")
            .setImage(raw(in.get("image0_uint8")))
            .addAllLabels(List.of("a cat", "a dog"))
            .setPromptTemplate("This is a photo of {}.");
    ClassifyResponse all = running.blocking().classify(byLabels.build());
    float best = all.getScores(0).getProbability();

    ClassifyResponse fromSet =
        running
            .blocking()
            .classify(
                ClassifyRequest.newBuilder()
                    .setModel("tiny-siglip")
                    .setImage(raw(in.get("image0_uint8")))
                    .setLabelSet("things")
                    .build());
    ClassifyResponse above =
        running.blocking().classify(byLabels.setMinScore(FloatValue.of(best + 1e-4f)).build());
    ClassifyResponse atBest =
        running.blocking().classify(byLabels.setMinScore(FloatValue.of(best)).build());

    // A set's label vector is the renormalised mean of its prompts: equal up to the last bit.
    assertThat(fromSet.getScoresList())
        .extracting(LabelScore::getLabel)
        .containsExactlyElementsOf(all.getScoresList().stream().map(LabelScore::getLabel).toList());
    for (int i = 0; i < 2; i++) {
      assertThat(fromSet.getScores(i).getProbability())
          .isCloseTo(all.getScores(i).getProbability(), within(1e-6f));
    }
    assertThat(above.getNoMatch()).isTrue();
    assertThat(above.getScoresList()).isEmpty();
    assertThat(atBest.getScoresList())
        .extracting(LabelScore::getLabel)
        .containsExactly(all.getScores(0).getLabel());
  }

  private static String name(Family family) {
    return "tiny-" + family.files();
  }

  private static JsonArray cases(Family family) throws Exception {
    JsonElement root =
        JsonParser.parseString(
            Files.readString(
                SiglipExports.REFERENCE.resolve(family.files() + "_tokenizer_cases.json")));
    return root.isJsonArray()
        ? root.getAsJsonArray()
        : root.getAsJsonObject().getAsJsonArray("cases");
  }

  private static Image raw(Npz.Array image) {
    int[] shape = image.shape();
    return Image.newBuilder()
        .setRaw(
            RawImage.newBuilder()
                .setPixels(ByteString.copyFrom(image.bytes()))
                .setWidth(shape[1])
                .setHeight(shape[0])
                .setFormat(PixelFormat.PIXEL_FORMAT_RGB8))
        .build();
  }
}
