package zeroshot.server.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a benchmark report names a file or folder: relative to the repository it lies in, else by its
 * name alone, so that committed reports (docs/benchmarks/) do not carry the layout of the machine
 * that ran them. The same rule as the client's {@code zeroshot.client.bench.ReportedPath} (for
 * {@code zeroshot bench}), repeated here because the server does not depend on the client.
 */
final class ReportedPath {

  private ReportedPath() {}

  /**
   * Returns {@code path} relative to the nearest folder above it that holds {@code .git} (a file in
   * a git worktree), {@code .} for that folder itself, or the last name of {@code path} when there
   * is none. A relative {@code path} is resolved against the working directory first.
   */
  static String of(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    for (Path dir = absolute; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        String relative = dir.relativize(absolute).toString().replace('\\', '/');
        return relative.isEmpty() ? "." : relative;
      }
    }
    Path name = absolute.getFileName();
    return name == null ? absolute.toString() : name.toString();
  }
}
