package zeroshot.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * A float16 copy of the bundled model, made by {@code tools/precision/half.py} at test time, gives
 * the float32 model's image embeddings within cosine 0.999 (issue 8's bar for half precision).
 * Measured on libtorch's CPU kernels: a GPU's float16 kernels round differently, so the figure for
 * a GPU is still to be measured. Skipped, saying why, without Debian's python3-torch.
 */
class HalfPrecisionTest {

  @Test
  void halfPrecisionImageTowerStaysWithinCosine0999OfFloat32(@TempDir Path dir) throws Exception {
    Path half = dir.resolve("tiny-clip-fp16");
    PrecisionCopies.run(
        "half.py", TestModels.tinyClip(), half, "--towers", "image", "--submodule", "image=image");
    ModelManifest halfManifest = ManifestReader.read(half);
    assertThat(halfManifest.image().precision()).isEqualTo(Precision.FLOAT16);
    assertThat(halfManifest.text().precision()).isEqualTo(Precision.FLOAT32);
    assertThat(halfManifest.name()).isEqualTo("tiny-clip-fp16");

    try (TorchScriptClipModel full =
            TorchScriptClipModel.load(
                ManifestReader.read(TestModels.tinyClip()), ComputeDevice.cpu());
        TorchScriptClipModel fp16 = TorchScriptClipModel.load(halfManifest, ComputeDevice.cpu())) {
      RowCosines images = PrecisionCopies.onSamples(full, fp16, 8);
      System.out.printf(
          "float16 vs float32 image embeddings, %d samples: min cosine %.6f, mean %.6f%n",
          images.count(), images.min(), images.mean());
      assertThat(images.count()).isEqualTo(TinyClipSamples.all().size());
      assertThat(images.min()).isGreaterThanOrEqualTo(0.999);

      // The text tower stayed float32 in the same file: identical embeddings.
      List<String> texts = List.of("a photo of a red star", "a photo of a sneaker");
      float[][] t32 = full.embedTexts(texts);
      float[][] t16 = fp16.embedTexts(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(t16[i]).containsExactly(t32[i]);
      }
    }
  }

  /**
   * The random-weight ViT-B/32 of tools/clip, both towers cast whole: images and texts within
   * cosine 0.999 of float32. On the CPU this is slow (about a second per image), so few inputs.
   */
  @Test
  void halfPrecisionClipVitB32StaysWithinCosine0999OfFloat32(@TempDir Path dir) throws Exception {
    Path full = ClipExports.randomVitB32();
    Path half = dir.resolve("vit-b-32-fp16");
    PrecisionCopies.run("half.py", full, half);
    List<float[]> images = new ArrayList<>();
    ModelManifest fullManifest = ManifestReader.read(full);
    ImagePreprocessor preprocessor = new ImagePreprocessor(fullManifest.image().preprocess());
    try (var files = Files.list(full.resolve("samples"))) {
      for (Path png : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
        images.add(
            preprocessor.toTensor(new ImageDecoder(50_000_000L).decode(Files.readAllBytes(png))));
      }
    }
    List<String> texts =
        List.of("a photo of a cat", "a diagram of the solar system", "two dogs on a beach");

    float[][] image32;
    float[][] text32;
    try (TorchScriptClipModel m = TorchScriptClipModel.load(fullManifest, ComputeDevice.cpu())) {
      image32 = m.embedImages(images);
      text32 = m.embedTexts(texts);
    }
    try (TorchScriptClipModel m =
        TorchScriptClipModel.load(ManifestReader.read(half), ComputeDevice.cpu())) {
      assertThat(m.manifest().image().precision()).isEqualTo(Precision.FLOAT16);
      assertThat(m.manifest().text().precision()).isEqualTo(Precision.FLOAT16);
      double imageMin = new RowCosines().add(image32, m.embedImages(images)).min();
      double textMin = new RowCosines().add(text32, m.embedTexts(texts)).min();
      System.out.printf(
          "ViT-B/32 (random weights) float16 vs float32 on the CPU: %d images min cosine %.6f,"
              + " %d texts min cosine %.6f%n",
          images.size(), imageMin, texts.size(), textMin);
      assertThat(imageMin).isGreaterThanOrEqualTo(0.999);
      assertThat(textMin).isGreaterThanOrEqualTo(0.999);
    }
  }

  @Test
  void aManifestThatDeclaresTheWrongPrecisionFailsAtLoadSayingSo(@TempDir Path dir)
      throws Exception {
    Path copy = TestModels.copyOfTinyClip(Files.createDirectory(dir.resolve("m")));
    Path json = copy.resolve("model.json");
    Files.writeString(
        json,
        Files.readString(json)
            .replace(
                "\"method\": \"encode_image\",",
                "\"method\": \"encode_image\",\n" + "    \"precision\": \"float16\","));

    assertThatThrownBy(
            () -> TorchScriptClipModel.load(ManifestReader.read(copy), ComputeDevice.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("warm-up failed")
        .hasMessageContaining(
            "image.precision float16, text.precision float32: the TorchScript weights must have"
                + " that type");
  }
}
