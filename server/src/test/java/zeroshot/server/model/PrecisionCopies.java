package zeroshot.server.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import zeroshot.server.model.torchscript.TorchScriptClipModel;

/**
 * Reduced-precision copies made by tools/precision at test time, and how close they stay to the
 * original on the bundled samples. Skips the test, saying why, without Debian's python3-torch.
 */
public final class PrecisionCopies {
  private PrecisionCopies() {}

  /** {@code tools/precision/convert.py --precision PRECISION}: a copy of {@code model} in out. */
  public static void convert(Path model, Path out, Precision precision) {
    run("convert.py", model, out, "--precision", precision.toString());
  }

  /**
   * Runs {@code tools/precision/TOOL --model-dir model --out out OPTIONS}; fails the test with the
   * tool's output unless it exits 0.
   */
  public static void run(String tool, Path model, Path out, String... options) {
    String python = ClipExports.PYTHON.toString();
    assumeTrue(
        ClipExports.exitCode(List.of(python, "-c", "import torch")) == 0,
        "Debian's PyTorch is missing: apt-get install python3-torch");
    List<String> command = new ArrayList<>();
    command.add(python);
    command.add(TestModels.repoRoot().resolve("tools/precision").resolve(tool).toString());
    command.addAll(List.of("--model-dir", model.toString(), "--out", out.toString()));
    command.addAll(List.of(options));
    ClipExports.run(command);
  }

  /** The image embeddings of every bundled sample, by both models, in batches of {@code batch}. */
  public static RowCosines onSamples(TorchScriptClipModel a, TorchScriptClipModel b, int batch) {
    List<float[]> tensors = new ArrayList<>();
    for (TinyClipSamples.Sample s : TinyClipSamples.all()) {
      tensors.add(TinyClipSamples.tensor(s.file(), a.manifest()));
    }
    RowCosines cosines = new RowCosines();
    for (int from = 0; from < tensors.size(); from += batch) {
      List<float[]> part = tensors.subList(from, Math.min(from + batch, tensors.size()));
      cosines.add(a.embedImages(part), b.embedImages(part));
    }
    return cosines;
  }
}
