package zeroshot.server.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the tests find the repository's files, and copies of the bundled model to break. */
public final class TestModels {
  private TestModels() {}

  /** The repository root (surefire passes it; running from the IDE falls back to ".."). */
  public static Path repoRoot() {
    String root = System.getProperty("zeroshot.repo.root");
    Path path = root == null ? Path.of("..") : Path.of(root);
    return path.toAbsolutePath().normalize();
  }

  /**
   * {@code shared/data/clip/preprocess/} beside the repository: CLIP's reference photos and their
   * exact tensors. The calling test is skipped, saying why, where it is missing.
   */
  public static Path clipReferencePhotos() {
    Path dir = repoRoot().resolve("../shared/data/clip/preprocess").normalize();
    assumeTrue(
        Files.isRegularFile(dir.resolve("rocket.jpg")),
        "CLIP reference photos not found: set -Dzeroshot.repo.root to the repository root"
            + " (surefire does) with shared/data/clip/preprocess/ beside it; got "
            + dir);
    return dir;
  }

  public static Path tinyClip() {
    return repoRoot().resolve("models/tiny-clip");
  }

  /** A copy of the bundled model's top-level files (not its samples) in {@code target}. */
  public static Path copyOfTinyClip(Path target) {
    try (Stream<Path> files = Files.list(tinyClip())) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file)) {
          Files.copy(file, target.resolve(file.getFileName()));
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
