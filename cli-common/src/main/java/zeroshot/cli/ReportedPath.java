package zeroshot.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a benchmark report names a file or folder: relative to the repository it lies in, else by its
 * name alone. Reports are committed (docs/benchmarks/), so they must not carry the layout of the
 * machine that ran them, such as {@code /home/alice/src/zeroshot-serve/models/tiny-clip}.
 */
public final class ReportedPath {

  private ReportedPath() {}

  /**
   * Returns {@code path} relative to the nearest enclosing repository (a folder holding {@code
   * .git}, which is a file in a git worktree), e.g. {@code models/tiny-clip/samples}; {@code .} for
   * the repository itself; the last name of {@code path} when no folder above it is a repository. A
   * relative {@code path} is resolved against the working directory first.
   */
  public static String of(Path path) {
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
