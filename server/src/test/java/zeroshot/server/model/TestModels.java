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
