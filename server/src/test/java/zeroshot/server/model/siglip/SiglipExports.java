package zeroshot.server.model.siglip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.Npz;
import zeroshot.server.testing.Processes;

/**
 * Runs tools/siglip (Debian's {@code /usr/bin/python3}) at test time: the tiny reference SigLIP and
 * SigLIP 2 NaFlex models written as Hugging Face folders ({@code hf_fixture.py}, as {@code
 * save_pretrained} lays them out) and exported from there ({@code export.py --hf-dir}), in {@code
 * server/target/siglip/}, once per version of the tool (the folder name carries a hash of its
 * Python files and of tools/common's). Without Python or torch the calling test is skipped, saying
 * why.
 */
public final class SiglipExports {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path TOOL = TestModels.repoRoot().resolve("tools/siglip");

  /** transformers' outputs and the inputs they were made from, kept in the repository. */
  public static final Path REFERENCE = TOOL.resolve("tests/reference");

  private static final Path TARGET = TestModels.repoRoot().resolve("server/target/siglip");
  private static final long TIMEOUT_SECONDS = 600;

  /** Why the SigLIP tests cannot run here. */
  public static final String NO_EXPORT =
      "/usr/bin/python3 with torch, numpy and Pillow is needed to export a SigLIP model"
          + " (apt-get install python3-torch python3-numpy python3-pil)";

  private static Boolean canExport;

  private SiglipExports() {}

  /** The two tiny reference models. */
  public enum Family {
    SIGLIP("siglip"),
    SIGLIP2("siglip2");

    final String flag;

    Family(String flag) {
      this.flag = flag;
    }

    /** The prefix of its reference files: {@code siglip} or {@code siglip2}. */
    public String files() {
      return flag;
    }
  }

  /** An {@code .npz} file of the reference data, e.g. {@code siglip_outputs.npz}. */
  public static Npz reference(String file) {
    try {
      return Npz.read(Files.readAllBytes(REFERENCE.resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the exports can be made: for a class-level {@code @EnabledIf}. */
  public static synchronized boolean canExport() {
    if (canExport == null) {
      canExport =
          Files.isExecutable(PYTHON)
              && Processes.run(List.of(PYTHON.toString(), "-c", "import torch, numpy, PIL"), 60)
                      .exitCode()
                  == 0;
      if (!canExport) {
        System.err.println("skipping the SigLIP export tests: " + NO_EXPORT);
      }
    }
    return canExport;
  }

  /** The tiny model of {@code family} as a Hugging Face folder (config.json, safetensors, ...). */
  public static synchronized Path hfFolder(Family family) {
    assumeTrue(canExport(), NO_EXPORT);
    Path dir = TARGET.resolve(toolHash()).resolve("hf-" + family.flag);
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      run(
          List.of(
              PYTHON.toString(),
              TOOL.resolve("hf_fixture.py").toString(),
              "--family",
              family.flag,
              "--out",
              dir.toString()));
    }
    return dir;
  }

  /** The tiny model of {@code family} exported from its Hugging Face folder: a model directory. */
  public static synchronized Path modelDir(Family family) {
    Path hf = hfFolder(family);
    Path dir = hf.resolveSibling("model-" + family.flag);
    if (!Files.isRegularFile(dir.resolve("model.json"))) {
      run(
          List.of(
              PYTHON.toString(),
              TOOL.resolve("export.py").toString(),
              "--hf-dir",
              hf.toString(),
              "--out",
              dir.toString(),
              "--name",
              "tiny-" + family.flag,
              "--threads",
              "2"));
    }
    return dir;
  }

  private static String toolHash() {
    return Processes.pythonSourcesHash(TOOL, TestModels.repoRoot().resolve("tools/common"));
  }

  private static void run(List<String> command) {
    Processes.runOrFail(command, TIMEOUT_SECONDS);
  }
}
