package zeroshot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportedPathTest {

  @TempDir Path dir;

  @Test
  void aPathInsideARepositoryIsReportedRelativeToItsRoot() throws Exception {
    Path repository = Files.createDirectories(dir.resolve("checkout"));
    Files.createDirectory(repository.resolve(".git"));
    Path samples = Files.createDirectories(repository.resolve("models/tiny-clip/samples"));

    assertThat(ReportedPath.of(samples)).isEqualTo("models/tiny-clip/samples");
    assertThat(ReportedPath.of(repository.resolve("server/target/../target/x.jar")))
        .isEqualTo("server/target/x.jar");
    assertThat(ReportedPath.of(repository)).isEqualTo(".");
  }

  @Test
  void aGitWorktreeWhoseDotGitIsAFileCountsAsARepository() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("wt"));
    Files.writeString(worktree.resolve(".git"), "gitdir: /elsewhere/.git/worktrees/wt\n");

    assertThat(ReportedPath.of(worktree.resolve("bench/target/vit-b-32")))
        .isEqualTo("bench/target/vit-b-32");
  }

  @Test
  void theNearestRepositoryWins() throws Exception {
    Files.createDirectory(dir.resolve(".git"));
    Path nested = Files.createDirectories(dir.resolve("outer/inner"));
    Files.createDirectory(nested.resolve(".git"));

    assertThat(ReportedPath.of(nested.resolve("images"))).isEqualTo("images");
    assertThat(ReportedPath.of(dir.resolve("outer/images"))).isEqualTo("outer/images");
  }

  @Test
  void aPathOutsideAnyRepositoryIsReportedByItsNameAlone() throws Exception {
    for (Path above = dir; above != null; above = above.getParent()) {
      assumeFalse(Files.exists(above.resolve(".git")), "the temporary folder lies in a repository");
    }
    Path photos = Files.createDirectories(dir.resolve("home/alice/photos"));

    assertThat(ReportedPath.of(photos)).isEqualTo("photos");
  }

  @Test
  void aModelDirInsideARepositoryIsReportedRelativeToItsRoot() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("wt"));
    Files.writeString(worktree.resolve(".git"), "gitdir: /elsewhere/.git/worktrees/wt\n");

    assertThat(ReportedPath.of(worktree.resolve("bench/target/vit-b-32")))
        .isEqualTo("bench/target/vit-b-32");
    assertThat(ReportedPath.of(worktree.resolve("models/./tiny-clip")))
        .isEqualTo("models/tiny-clip");
    assertThat(ReportedPath.of(worktree)).isEqualTo(".");
  }

  @Test
  void aModelDirOutsideAnyRepositoryIsReportedByItsNameAlone() throws Exception {
    for (Path above = dir; above != null; above = above.getParent()) {
      assumeFalse(Files.exists(above.resolve(".git")), "the temporary folder lies in a repository");
    }

    assertThat(ReportedPath.of(dir.resolve("home/alice/vit-b-32"))).isEqualTo("vit-b-32");
  }
}
