package zeroshot.server.model;

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
   * {@code tools/clip/tests/preprocess/}: CLIP's reference photos and their exact tensors, in the
   * repository.
   *
   * @throws IllegalStateException if they are not there (a broken checkout or a wrong {@code
   *     zeroshot.repo.root}): a failure, not a skip
   */
  public static Path clipReferencePhotos() {
    Path dir = repoRoot().resolve("tools/clip/tests/preprocess");
    if (!Files.isRegularFile(dir.resolve("rocket.jpg"))) {
      throw new IllegalStateException(
          "CLIP reference photos not found in "
              + dir
              + " (expected: the repository's tools/clip/tests/preprocess; surefire passes"
              + " -Dzeroshot.repo.root)");
    }
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
