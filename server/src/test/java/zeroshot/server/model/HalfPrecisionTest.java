package zeroshot.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
  private static final String PYTHON = ClipExports.PYTHON.toString();

  @Test
  void halfPrecisionImageTowerStaysWithinCosine0999OfFloat32(@TempDir Path dir) throws Exception {
    Path half = dir.resolve("tiny-clip-fp16");
    convert(TestModels.tinyClip(), half, "--towers", "image", "--submodule", "image=image");
    ModelManifest halfManifest = ManifestReader.read(half);
    assertThat(halfManifest.image().precision()).isEqualTo(Precision.FLOAT16);
    assertThat(halfManifest.text().precision()).isEqualTo(Precision.FLOAT32);
    assertThat(halfManifest.name()).isEqualTo("tiny-clip-fp16");

    List<TinyClipSamples.Sample> samples = TinyClipSamples.all();
    try (TorchScriptClipModel full =
            TorchScriptClipModel.load(
                ManifestReader.read(TestModels.tinyClip()), ComputeDevice.cpu());
        TorchScriptClipModel fp16 = TorchScriptClipModel.load(halfManifest, ComputeDevice.cpu())) {
      List<float[]> tensors = new ArrayList<>();
      for (TinyClipSamples.Sample s : samples) {
        tensors.add(TinyClipSamples.tensor(s.file(), full.manifest()));
      }
      double min = 1;
      double sum = 0;
      for (int from = 0; from < tensors.size(); from += 8) {
        List<float[]> batch = tensors.subList(from, Math.min(from + 8, tensors.size()));
        float[][] a = full.embedImages(batch);
        float[][] b = fp16.embedImages(batch);
        for (int i = 0; i < a.length; i++) {
          double cos = Vectors.dot(a[i], b[i]);
          min = Math.min(min, cos);
          sum += cos;
        }
      }
      System.out.printf(
          "float16 vs float32 image embeddings, %d samples: min cosine %.6f, mean %.6f%n",
          tensors.size(), min, sum / tensors.size());
      assertThat(min).isGreaterThanOrEqualTo(0.999);

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
    convert(full, half);
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
      double imageMin = minCosine(image32, m.embedImages(images));
      double textMin = minCosine(text32, m.embedTexts(texts));
      System.out.printf(
          "ViT-B/32 (random weights) float16 vs float32 on the CPU: %d images min cosine %.6f,"
              + " %d texts min cosine %.6f%n",
          images.size(), imageMin, texts.size(), textMin);
      assertThat(imageMin).isGreaterThanOrEqualTo(0.999);
      assertThat(textMin).isGreaterThanOrEqualTo(0.999);
    }
  }

  private static double minCosine(float[][] a, float[][] b) {
    double min = 1;
    for (int i = 0; i < a.length; i++) {
      min = Math.min(min, Vectors.dot(a[i], b[i]));
    }
    return min;
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

  private static void convert(Path model, Path out, String... options) {
    assumeTrue(
        ClipExports.exitCode(List.of(PYTHON, "-c", "import torch")) == 0,
        "Debian's PyTorch is missing: apt-get install python3-torch");
    List<String> command = new ArrayList<>();
    command.add(PYTHON);
    command.add(TestModels.repoRoot().resolve("tools/precision/half.py").toString());
    command.add("--model-dir");
    command.add(model.toString());
    command.add("--out");
    command.add(out.toString());
    command.addAll(List.of(options));
    ClipExports.run(command); // fails the test with the tool's output unless it exits 0
  }
}
