package zeroshot.server.model.torchscript;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.TinyClipSamples;
import zeroshot.server.model.TinyClipSamples.Sample;
import zeroshot.server.model.Vectors;
import zeroshot.server.model.image.DecodedImage;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.image.JpegFiles;
import zeroshot.server.model.image.PreprocessMode;
import zeroshot.server.model.image.ScaledJpegDecoder;
import zeroshot.server.model.image.TurboJpegInstalled;

/**
 * The bundled model classifies its samples the same in the fast preprocessing mode as in the exact
 * one. The samples are 28 to 96 px, too small for any DCT scaling at the model's 32 px, so each is
 * scaled up 16 times and saved as JPEG first: then the fast mode decodes them at 1/4 or 1/8.
 */
@EnabledIf(
    value = "zeroshot.server.model.image.TurboJpegInstalled#check",
    disabledReason = TurboJpegInstalled.MISSING)
class TinyClipFastModeTest {
  private static final int UPSCALE = 16;
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
  void everySampleGetsTheSamePredictionInBothModes() throws Exception {
    JsonObject python = TinyClipSamples.evalJson().getAsJsonObject("samples");
    Map<String, List<Sample>> byKind =
        TinyClipSamples.all().stream().collect(Collectors.groupingBy(Sample::kind));
    ImageDecoder decoder = new ImageDecoder(50_000_000L, ScaledJpegDecoder.load());
    ImagePreprocessor preprocessor = new ImagePreprocessor(model.manifest().image().preprocess());
    int shortSide = model.manifest().image().preprocess().resizeShortSide();
    int samples = 0;
    int scaled = 0;
    double worstCosine = 1;

    for (var entry : byKind.entrySet()) {
      JsonObject expected = python.getAsJsonObject(entry.getKey());
      List<String> labels =
          expected.getAsJsonArray("labels").asList().stream()
              .map(JsonElement::getAsString)
              .toList();
      String prompt = expected.get("prompt").getAsString();
      float[][] labelVectors =
          model.embedTexts(labels.stream().map(l -> prompt.replace("{}", l)).toList());
      List<float[]> exact = new ArrayList<>();
      List<float[]> fast = new ArrayList<>();
      for (Sample s : entry.getValue()) {
        DecodedImage original =
            decoder.decode(Files.readAllBytes(TinyClipSamples.DIR.resolve(s.file())));
        byte[] jpeg =
            JpegFiles.scaled(
                Files.readAllBytes(TinyClipSamples.DIR.resolve(s.file())),
                original.width() * UPSCALE,
                original.height() * UPSCALE);
        DecodedImage fastImage = decoder.decode(jpeg, PreprocessMode.FAST, shortSide);
        scaled += fastImage.width() < fastImage.fullWidth() ? 1 : 0;
        exact.add(preprocessor.toTensor(decoder.decode(jpeg)));
        fast.add(preprocessor.toTensor(fastImage));
      }
      float[][] exactVectors = model.embedImages(exact);
      float[][] fastVectors = model.embedImages(fast);

      for (int i = 0; i < exactVectors.length; i++) {
        worstCosine = Math.min(worstCosine, Vectors.dot(exactVectors[i], fastVectors[i]));
        assertThat(TorchScriptClipModelTest.argmax(fastVectors[i], labelVectors))
            .as(entry.getValue().get(i).file())
            .isEqualTo(TorchScriptClipModelTest.argmax(exactVectors[i], labelVectors));
        samples++;
      }
    }
    System.out.printf(
        "tiny-clip fast vs exact: %d samples (%d DCT-scaled), same predictions, worst embedding"
            + " cosine %.6f%n",
        samples, scaled, worstCosine);
    assertThat(samples).isEqualTo(TinyClipSamples.all().size());
    assertThat(scaled).isEqualTo(samples);
    assertThat(worstCosine).isGreaterThanOrEqualTo(0.999);
  }
}
