package zeroshot.server.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import zeroshot.server.testing.Processes;

/**
 * Runs tools/clip (Debian's {@code /usr/bin/python3}) at test time: CLIP's tokenizer.json and a
 * random-weight ViT-B/32 export in {@code server/target/clip/}, made once per version of the tool
 * (the folder name carries a hash of tools/clip/*.py and tools/common/*.py), never committed.
 * Without Python or torch the calling test is skipped, saying why.
 */
public final class ClipExports {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path TOOL = TestModels.repoRoot().resolve("tools/clip");

  /** What tools/clip imports from its sibling folder (the CLIP preprocessing, model.json). */
  static final Path COMMON = TestModels.repoRoot().resolve("tools/common");

  private static final Path TARGET = TestModels.repoRoot().resolve("server/target/clip");
  private static final String RANDOM_PREFIX = "vit-b-32-random-seed0-";
  private static final long EXPORT_TIMEOUT_SECONDS = 600;

  private ClipExports() {}

  /** CLIP's tokenizer.json, written by tools/clip/tokenizer.py (needs Python, not torch). */
  public static synchronized Path tokenizerJson() {
    assumeTrue(Files.isExecutable(PYTHON), PYTHON + " not found: tools/clip needs Python 3");
    Path file = TARGET.resolve("tokenizer-" + toolHash() + "/tokenizer.json");
    if (!Files.isRegularFile(file)) {
      run(List.of(PYTHON.toString(), TOOL.resolve("tokenizer.py").toString(), file.toString()));
    }
    return file;
  }

  /** Why a CLIP model cannot be exported here. */
  static final String NO_EXPORT =
      "/usr/bin/python3 with torch, numpy and Pillow is needed to export a CLIP model"
          + " (apt-get install python3-torch python3-numpy python3-pil)";

  private static Boolean canExport;

  /**
   * Whether {@link #randomVitB32} can run: for a class-level {@code @EnabledIf}, so that a test
   * class that exports in its {@code @BeforeAll} is counted as skipped, with {@link #NO_EXPORT},
   * instead of running no test at all; says why on stderr when not.
   */
  static synchronized boolean canExport() {
    if (canExport == null) {
      canExport =
          Files.isExecutable(PYTHON)
              && exitCode(List.of(PYTHON.toString(), "-c", "import torch, numpy, PIL")) == 0;
      if (!canExport) {
        System.err.println("skipping the CLIP export tests: " + NO_EXPORT);
      }
    }
    return canExport;
  }

  /** {@code export.py --random ViT-B/32 --seed 0}: a complete model directory. */
  static synchronized Path randomVitB32() {
    assumeTrue(canExport(), NO_EXPORT);
    Path dir = TARGET.resolve(RANDOM_PREFIX + toolHash());
    if (!Files.isRegularFile(dir.resolve("model.json"))) {
      deleteStaleExports(); // 600 MB each
      run(
          List.of(
              PYTHON.toString(),
              TOOL.resolve("export.py").toString(),
              "--random",
              "ViT-B/32",
              "--seed",
              "0",
              "--out",
              dir.toString()));
    }
    return dir;
  }

  /** The model directory's {@code samples/reference_embeddings.json}. */
  static JsonObject reference(Path modelDir) {
    try {
      return JsonParser.parseString(
              Files.readString(modelDir.resolve("samples/reference_embeddings.json")))
          .getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reference token ids for tricky texts that ship with tools/clip. */
  public static JsonObject tokenizerVectors() {
    try {
      return JsonParser.parseString(Files.readString(TOOL.resolve("tests/tokenizer-vectors.json")))
          .getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes exports made by earlier versions of the tool. */
  private static void deleteStaleExports() {
    if (!Files.isDirectory(TARGET)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(TARGET)) {
      for (Path dir :
          dirs.filter(d -> d.getFileName().toString().startsWith(RANDOM_PREFIX)).toList()) {
        try (Stream<Path> tree = Files.walk(dir)) {
          for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String toolHash() {
    return Processes.pythonSourcesHash(TOOL, COMMON);
  }

  /** Runs {@code command}, failing with its output unless it exits 0; prints the output. */
  static void run(List<String> command) {
    Processes.runOrFail(command, EXPORT_TIMEOUT_SECONDS);
  }

  static int exitCode(List<String> command) {
    return Processes.run(command, EXPORT_TIMEOUT_SECONDS).exitCode();
  }
}
