package zeroshot.server.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSetFilesTest {
  @TempDir Path dir;

  @Test
  void aWriteReplacesTheFileAndLeavesNothingElse() throws Exception {
    LabelSetFiles files = LabelSetFiles.in(dir.resolve("sets"));
    files.write(set("a", "x"));
    files.write(set("a", "y"));
    files.write(set("b", "x"));
    files.delete("tiny-clip", "b");

    assertThat(files.readAll()).containsExactly(set("a", "y"));
    assertThat(tree(dir.resolve("sets"))).containsExactly("tiny-clip", "tiny-clip/a.json");
  }

  @Test
  void prepareCreatesTheDirectoryAndRemovesOnlyTemporaryFiles() throws Exception {
    Path sets = dir.resolve("missing/sets");
    LabelSetFiles files = LabelSetFiles.in(sets);
    files.prepare();
    assertThat(sets).isDirectory();

    files.write(set("a", "x"));
    Files.writeString(sets.resolve("tiny-clip/a.4711.tmp"), "{\"name\": \"a\", \"lab");
    Files.writeString(sets.resolve("tiny-clip/b.0815.tmp"), "");
    files.prepare();

    assertThat(tree(sets)).containsExactly("tiny-clip", "tiny-clip/a.json");
    assertThat(files.readAll()).containsExactly(set("a", "x"));
  }

  @Test
  void aFolderThatCannotBeMadeStopsTheStartNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "");
    LabelSetFiles files = LabelSetFiles.in(file.resolve("sets"));

    assertThatThrownBy(files::prepare)
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "cannot create or force the label set directory " + file.resolve("sets"))
        .hasMessageEndingWith(
            "label sets need a folder that can be created and forced to disk, as on Linux or macOS"
                + " (on Windows Java cannot open a folder to force it), or no --label-set-dir");
  }

  @Test
  void anUnreadableSetNamesItsFileAndTheCommandThatMovesItAside() throws Exception {
    Path sets = dir.resolve("my sets");
    LabelSetFiles files = LabelSetFiles.in(sets);
    files.write(set("a", "x"));
    Path broken = sets.resolve("tiny-clip/b.json");
    Files.writeString(broken, ""); // what a crash left before writes were forced

    assertThatThrownBy(files::readAll)
        .isInstanceOf(IOException.class)
        .hasMessage(
            broken
                + ": not a label set (empty); to start without it, move it aside: mv '"
                + broken
                + "' '"
                + broken
                + ".unreadable'");

    Files.move(broken, sets.resolve("tiny-clip/b.json.unreadable"));
    assertThat(files.readAll()).containsExactly(set("a", "x"));
  }

  @Test
  void aSetWhoseNameDoesNotMatchItsFileIsUnreadable() throws Exception {
    LabelSetFiles files = LabelSetFiles.in(dir);
    files.write(set("a", "x"));
    Path a = dir.resolve("tiny-clip/a.json");
    Files.copy(a, dir.resolve("tiny-clip/b.json"));

    assertThatThrownBy(files::readAll)
        .hasMessageStartingWith(
            dir.resolve("tiny-clip/b.json")
                + ": not a label set (name or model does not match the file's path); to start"
                + " without it, move it aside: mv "
                + dir.resolve("tiny-clip/b.json"));
  }

  static LabelSetDefinition set(String name, String... labels) {
    return new LabelSetDefinition(
        name,
        "tiny-clip",
        Stream.of(labels).map(l -> new LabelSetDefinition.Entry(l, List.of(), List.of())).toList(),
        List.of());
  }

  /** Every path under {@code root}, relative, sorted. */
  static List<String> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
