package zeroshot.server.model.torchscript;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zeroshot.server.inference.ScoredLabel;
import zeroshot.server.inference.Scorer;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelFamily;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.Scoring;
import zeroshot.server.model.Vectors;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.image.NaFlexTensor;
import zeroshot.server.model.siglip.SiglipExports;
import zeroshot.server.model.siglip.SiglipExports.Family;
import zeroshot.server.model.text.TokenIds;
import zeroshot.server.testing.Npz;

/**
 * The tiny reference SigLIP and SigLIP 2 NaFlex, written as Hugging Face folders and exported by
 * tools/siglip, served by the TorchScript runtime: embeddings, logits and sigmoid probabilities
 * equal transformers' own outputs (tools/siglip/tests/reference) within abs 1e-5, from the
 * reference pixel values and token ids and from the reference images through Java's preprocessing.
 * Each way of getting it wrong that the issue names (softmax, no bias, a text mask by default,
 * NaFlex's mask ignored) is shown to move the result beyond that tolerance.
 */
@EnabledIf(
    value = "zeroshot.server.model.siglip.SiglipExports#canExport",
    disabledReason = SiglipExports.NO_EXPORT)
class SiglipTowersTest {
  private static final double TOLERANCE = 1e-5;
  private static final Map<Family, TorchScriptClipModel> MODELS = new EnumMap<>(Family.class);

  @TempDir Path temp;

  @BeforeAll
  static void load() throws Exception {
    for (Family family : Family.values()) {
      MODELS.put(
          family,
          TorchScriptClipModel.load(
              ManifestReader.read(SiglipExports.modelDir(family)), ComputeDevice.cpu()));
    }
  }

  @AfterAll
  static void close() {
    MODELS.values().forEach(TorchScriptClipModel::close);
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void theExportedManifestDescribesASigmoidModel(Family family) {
    ModelManifest m = MODELS.get(family).manifest();

    assertThat(m.family())
        .isEqualTo(family == Family.SIGLIP ? ModelFamily.SIGLIP : ModelFamily.SIGLIP2);
    assertThat(m.scoring().kind()).isEqualTo(Scoring.Kind.SIGMOID);
    assertThat(m.scoring().logitScale())
        .isEqualTo(10f, org.assertj.core.api.Assertions.within(1e-5f));
    assertThat(m.scoring().logitBias()).isEqualTo(-1.5f);
    assertThat(m.text().contextLength()).isEqualTo(64);
    assertThat(m.text().attentionMask()).isFalse();
    assertThat(m.embeddingDim()).isEqualTo(64);
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void imageEmbeddingsFromTheReferencePixelValuesMatchTransformers(Family family) {
    float[][] embeddings = MODELS.get(family).embedImages(referenceTensors(family));

    assertClose(embeddings, matrix(outputs(family).get("image_embeds")), family + " image_embeds");
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void imagesThroughJavaPreprocessingMatchTransformers(Family family) throws Exception {
    TorchScriptClipModel model = MODELS.get(family);
    ImagePreprocessor preprocessor = new ImagePreprocessor(model.manifest().image().preprocess());
    List<float[]> tensors = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Npz.Array image = inputs(family).get("image" + i + "_uint8");
      int[] shape = image.shape();
      tensors.add(
          preprocessor.toTensor(
              new ImageDecoder(1_000_000).fromRawPixels(image.bytes(), shape[1], shape[0], 3)));
    }

    float[][] batch = model.embedImages(tensors);
    float[] single = model.embedImages(tensors.subList(2, 3))[0];

    float[][] expected = matrix(outputs(family).get("image_embeds"));
    assertClose(batch, expected, family + " image_embeds via Java preprocessing");
    assertClose(new float[][] {single}, new float[][] {expected[2]}, family + " image2 alone");
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void textsRunWithoutAMaskByDefaultAsTheOfficialCheckpointsDo(Family family) {
    float[][] embeddings = MODELS.get(family).embedTokens(referenceTokens(family));

    assertClose(embeddings, matrix(outputs(family).get("text_embeds_nomask")), family + " nomask");
    // Passing the mask would move the texts with padding far beyond the tolerance.
    float[][] masked = matrix(outputs(family).get("text_embeds_mask"));
    assertThat(maxDiff(embeddings[0], masked[0])).isGreaterThan(1e-3);
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void textsGetTheMaskWhenTheManifestAsksForIt(Family family) throws Exception {
    Path dir = copyWithTextMask(SiglipExports.modelDir(family));
    try (TorchScriptClipModel masked =
        TorchScriptClipModel.load(ManifestReader.read(dir), ComputeDevice.cpu())) {
      float[][] embeddings = masked.embedTokens(referenceTokens(family));

      assertClose(embeddings, matrix(outputs(family).get("text_embeds_mask")), family + " mask");
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void sigmoidProbabilitiesAndLogitsMatchTransformers(Family family) {
    TorchScriptClipModel model = MODELS.get(family);
    float[][] images = model.embedImages(referenceTensors(family));
    float[][] texts = model.embedTokens(referenceTokens(family));
    Scoring scoring = model.manifest().scoring();
    float[] logits = outputs(family).get("logits_per_image_nomask").floats();
    float[] probs = outputs(family).get("probs_per_image_nomask").floats();

    double worstProbability = 0;
    double worstLogit = 0;
    double softmaxGap = 0;
    double noBiasGap = 0;
    for (int i = 0; i < images.length; i++) {
      float[] cosines = Vectors.dots(images[i], texts);
      float[] sigmoid = byIndex(Scorer.topK(cosines, scoring, 0));
      float[] softmax = byIndex(Scorer.topK(cosines, Scoring.softmax(scoring.logitScale()), 0));
      float[] noBias = byIndex(Scorer.topK(cosines, Scoring.sigmoid(scoring.logitScale(), 0), 0));
      for (int j = 0; j < texts.length; j++) {
        float expected = probs[i * texts.length + j];
        worstProbability = Math.max(worstProbability, Math.abs(sigmoid[j] - expected));
        double logit = scoring.logitScale() * cosines[j] + scoring.logitBias();
        worstLogit = Math.max(worstLogit, Math.abs(logit - logits[i * texts.length + j]));
        softmaxGap = Math.max(softmaxGap, Math.abs(softmax[j] - expected));
        noBiasGap = Math.max(noBiasGap, Math.abs(noBias[j] - expected));
      }
    }
    System.out.printf(
        "%s: max abs diff probabilities %.2g, logits %.2g; softmax would be off by %.3f, no bias"
            + " by %.3f%n",
        family, worstProbability, worstLogit, softmaxGap, noBiasGap);
    assertThat(worstProbability).isLessThanOrEqualTo(TOLERANCE);
    assertThat(worstLogit).isLessThanOrEqualTo(TOLERANCE);
    assertThat(softmaxGap).isGreaterThan(0.01);
    assertThat(noBiasGap).isGreaterThan(0.01);
  }

  @Test
  void naFlexIgnoringThePatchMaskWouldChangeThePaddedImage() throws Exception {
    TorchScriptClipModel model = MODELS.get(Family.SIGLIP2);
    Npz in = inputs(Family.SIGLIP2);
    long[] allOnes = new long[3 * 96];
    Arrays.fill(allOnes, 1L);
    float[][] unmasked;
    try (PtNDManager scope = (PtNDManager) NDManager.newBaseManager("PyTorch");
        TorchScriptModules modules = TorchScriptModules.load(scope, model.manifest())) {
      PtNDArray pixels =
          (PtNDArray) scope.create(in.get("pixel_values").floats(), new Shape(3, 96, 768));
      PtNDArray mask = (PtNDArray) scope.create(allOnes, new Shape(3, 96));
      PtNDArray shapes =
          (PtNDArray) scope.create(in.get("spatial_shapes").longs(), new Shape(3, 2));
      try (IValue a = IValue.from(pixels);
          IValue b = IValue.from(mask);
          IValue c = IValue.from(shapes);
          IValue out = IValueUtils.runMethod(modules.image(), "encode_image", a, b, c)) {
        unmasked = Vectors.normalizedRows(out.toTensor(scope).toFloatArray(), 64);
      }
    }
    float[][] served = model.embedImages(referenceTensors(Family.SIGLIP2));
    float[][] expected = matrix(outputs(Family.SIGLIP2).get("image_embeds"));

    // Image 0 has 81 real patches of 96: the 15 padding rows would take part without the mask.
    assertClose(served, expected, "SigLIP 2 served with the mask");
    assertThat(maxDiff(unmasked[0], expected[0])).isGreaterThan(1e-3);
    // Images 1 and 2 fill all 96 patches: nothing to mask, the same either way.
    assertThat(maxDiff(unmasked[2], expected[2])).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void naFlexImagesWithDifferentPatchCountsBatchTogether() {
    TorchScriptClipModel model = MODELS.get(Family.SIGLIP2);
    List<float[]> tensors = referenceTensors(Family.SIGLIP2);

    float[][] together = model.embedImages(List.of(tensors.get(0), tensors.get(2), tensors.get(1)));

    float[][] expected = matrix(outputs(Family.SIGLIP2).get("image_embeds"));
    assertClose(together, new float[][] {expected[0], expected[2], expected[1]}, "mixed grids");
  }

  /** The reference pixel values as the server's per-image tensors (NaFlex: its layout). */
  private static List<float[]> referenceTensors(Family family) {
    Npz in = inputs(family);
    float[] pixels = in.get("pixel_values").floats();
    int per = pixels.length / 3;
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      float[] image = Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
      if (family == Family.SIGLIP2) {
        long[] shapes = in.get("spatial_shapes").longs();
        image = Arrays.copyOf(image, NaFlexTensor.length(16, 96));
        image[image.length - 2] = shapes[2 * i];
        image[image.length - 1] = shapes[2 * i + 1];
      }
      out.add(image);
    }
    return out;
  }

  /** The reference input ids, with lengths from the reference attention mask. */
  private static TokenIds referenceTokens(Family family) {
    Npz in = inputs(family);
    long[] ids = in.get("input_ids").longs();
    long[] mask = in.get("attention_mask").longs();
    long[][] rows = new long[4][];
    int[] lengths = new int[4];
    for (int i = 0; i < 4; i++) {
      rows[i] = Arrays.copyOfRange(ids, i * 64, (i + 1) * 64);
      lengths[i] = (int) Arrays.stream(mask, i * 64, (i + 1) * 64).sum();
    }
    return new TokenIds(rows, lengths);
  }

  private Path copyWithTextMask(Path source) throws Exception {
    Path dir = temp.resolve("masked");
    Files.createDirectories(dir);
    try (var files = Files.list(source)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    Path manifest = dir.resolve("model.json");
    JsonObject root = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
    JsonObject text = root.getAsJsonObject("text");
    text.addProperty("attention_mask", true);
    text.addProperty("method", "encode_text_with_mask");
    Files.writeString(manifest, root.toString());
    return dir;
  }

  private static Npz inputs(Family family) {
    return SiglipExports.reference(family.files() + "_inputs.npz");
  }

  private static Npz outputs(Family family) {
    return SiglipExports.reference(family.files() + "_outputs.npz");
  }

  private static float[] byIndex(List<ScoredLabel> scores) {
    float[] out = new float[scores.size()];
    for (ScoredLabel s : scores) {
      out[s.index()] = s.probability();
    }
    return out;
  }

  private static float[][] matrix(Npz.Array array) {
    int width = array.shape()[1];
    float[] values = array.floats();
    float[][] out = new float[values.length / width][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOfRange(values, i * width, (i + 1) * width);
    }
    return out;
  }

  private static double maxDiff(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double max = 0;
    for (int j = 0; j < actual.length; j++) {
      max = Math.max(max, Math.abs(actual[j] - expected[j]));
    }
    return max;
  }

  private static void assertClose(float[][] actual, float[][] expected, String what) {
    assertThat(actual.length).as(what).isEqualTo(expected.length);
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, maxDiff(actual[i], expected[i]));
    }
    System.out.printf("%s: max abs diff %.2g over %d rows%n", what, max, actual.length);
    assertThat(max).as(what).isLessThanOrEqualTo(TOLERANCE);
  }
}
