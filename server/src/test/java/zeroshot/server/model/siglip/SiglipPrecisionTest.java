package zeroshot.server.model.siglip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.Precision;
import zeroshot.server.model.PrecisionCopies;
import zeroshot.server.model.RowCosines;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * tools/precision/convert.py on the SigLIP families: the tiny SigLIP (fixed resolution, SigLIP
 * tokenizer) and SigLIP 2 NaFlex (three image inputs, Gemma tokenizer) fixtures in bfloat16 and
 * int8 load in the server and stay within cosine 0.99 of float32, images and texts.
 */
@EnabledIf("zeroshot.server.model.siglip.SiglipExports#canExport")
class SiglipPrecisionTest {
  static Stream<Arguments> cases() {
    return Stream.of(SiglipExports.Family.values())
        .flatMap(f -> Stream.of(Precision.BFLOAT16, Precision.INT8).map(p -> Arguments.of(f, p)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void convertedTowersLoadAndStayWithinCosine099(
      SiglipExports.Family family, Precision precision, @TempDir Path dir) throws Exception {
    Path original = SiglipExports.modelDir(family);
    Path copy = dir.resolve("copy");
    PrecisionCopies.convert(original, copy, precision);
    ModelManifest manifest = ManifestReader.read(copy);
    assertThat(manifest.image().precision()).isEqualTo(precision);
    assertThat(manifest.text().precision()).isEqualTo(precision);

    List<float[]> images = new ArrayList<>();
    ImagePreprocessor preprocessor = new ImagePreprocessor(manifest.image().preprocess());
    try (var files = Files.list(TestModels.tinyClip().resolve("samples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".png")).sorted().limit(6).toList()) {
        images.add(
            preprocessor.toTensor(new ImageDecoder(50_000_000L).decode(Files.readAllBytes(f))));
      }
    }
    List<String> texts = List.of("a photo of a cat", "a red star", "two dogs on the beach");
    try (TorchScriptClipModel full =
            TorchScriptClipModel.load(ManifestReader.read(original), ComputeDevice.cpu());
        TorchScriptClipModel reduced = TorchScriptClipModel.load(manifest, ComputeDevice.cpu())) {
      double imageMin =
          new RowCosines().add(full.embedImages(images), reduced.embedImages(images)).min();
      double textMin =
          new RowCosines().add(full.embedTexts(texts), reduced.embedTexts(texts)).min();
      System.out.printf(
          "%s %s vs float32: %d images min cosine %.6f, %d texts min cosine %.6f%n",
          family, precision, images.size(), imageMin, texts.size(), textMin);
      assertThat(imageMin).isGreaterThanOrEqualTo(0.99);
      assertThat(textMin).isGreaterThanOrEqualTo(0.99);
    }
  }
}
