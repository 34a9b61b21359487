package zeroshot.server.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.server.labels.LabelSetFilesTest.tree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.testing.disk.PowerLossFileSystem;
import zeroshot.server.testing.disk.PowerLossFileSystemProvider;
import zeroshot.server.testing.disk.PowerLossImage;

/**
 * The power cut that a SIGKILL cannot show: a kill keeps the page cache, so a write that was never
 * forced, or a rename whose directory was never forced, still looks durable after it. Here the
 * label set directory sits on a {@link PowerLossFileSystem}, which journals what each force made
 * durable, and before every write {@link LabelSetFiles} makes (file created, written, forced,
 * renamed, deleted, directory created or forced) the test cuts the power: it builds the tree that
 * would survive ({@link PowerLossImage}: directories as last forced, files as last forced, empty if
 * changed since) and starts from it as the server does ({@code prepare}, then {@code readAll}).
 *
 * <p>Every cut must read back whole, with no stray file, as the state after the last acknowledged
 * change or, for the name being changed, after the change in progress. Removing the file force
 * gives an empty set file, removing the directory force loses an acknowledged put or delete, and
 * writing the file in place instead of renaming a forced copy over it shows the file empty between
 * the truncation and the force: each fails here at a cut it names.
 */
class LabelSetFilesPowerLossTest {
  @TempDir Path tmp;

  private Map<String, LabelSetDefinition> acknowledged = new TreeMap<>();
  private Map<String, LabelSetDefinition> inProgress = new TreeMap<>();
  private String change = "start";
  private final List<String> failures = new ArrayList<>();
  private int cuts;

  @Test
  void aPowerCutBeforeAnyWriteKeepsEveryAcknowledgedChangeAndNoHalfFile() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("sets"));
    Path journal = tmp.resolve("journal");
    PowerLossFileSystem fs = PowerLossFileSystemProvider.over(root, journal, n -> cut(journal));
    LabelSetFiles files = LabelSetFiles.in(fs.getPath(root.toString()));

    files.prepare();
    change("put a of m1", s -> s.put("m1/a", set("m1", "a", "red star")), files);
    change("put b of m1", s -> s.put("m1/b", set("m1", "b", "blue circle")), files);
    change("replace a of m1", s -> s.put("m1/a", set("m1", "a", "red star", "sneaker")), files);
    change("delete b of m1", s -> s.remove("m1/b"), files);
    change("put a of m2", s -> s.put("m2/a", set("m2", "a", "bag")), files);
    change("delete a of m1", s -> s.remove("m1/a"), files);
    change("put b of m1 again", s -> s.put("m1/b", set("m1", "b", "dress")), files);
    change("replace a of m2", s -> s.put("m2/a", set("m2", "a", "bag", "coat")), files);
    change = "the end";
    cut(journal);

    assertThat(failures).isEmpty();
    System.out.printf("%d power cuts, every one read back whole%n", cuts);
    assertThat(cuts).as("cuts").isGreaterThan(40);
  }

  /** Applies one put or delete, with a cut before each of its writes. */
  private void change(
      String what, Consumer<Map<String, LabelSetDefinition>> apply, LabelSetFiles files) {
    change = what;
    inProgress = new TreeMap<>(acknowledged);
    apply.accept(inProgress);
    for (String key : inProgress.keySet()) {
      if (!inProgress.get(key).equals(acknowledged.get(key))) {
        files.write(inProgress.get(key));
      }
    }
    for (String key : acknowledged.keySet()) {
      if (!inProgress.containsKey(key)) {
        String[] modelAndName = key.split("/");
        files.delete(modelAndName[0], modelAndName[1]);
      }
    }
    acknowledged = inProgress;
  }

  private void cut(Path journal) {
    int n = ++cuts;
    try {
      Path image = tmp.resolve("cut-" + n);
      PowerLossImage.read(journal).writeTo(image);
      LabelSetFiles restarted = LabelSetFiles.in(image);
      restarted.prepare();
      Map<String, LabelSetDefinition> found =
          restarted.readAll().stream()
              .collect(
                  Collectors.toMap(
                      d -> d.model() + "/" + d.name(), d -> d, (a, b) -> a, TreeMap::new));
      if (!found.equals(acknowledged) && !found.equals(inProgress)) {
        failures.add(
            "cut "
                + n
                + " during '"
                + change
                + "': found "
                + labels(found)
                + ", expected "
                + labels(acknowledged)
                + (inProgress.equals(acknowledged) ? "" : " or " + labels(inProgress)));
      }
      List<String> stray =
          tree(image).stream().filter(p -> p.contains("/") && !p.endsWith(".json")).toList();
      if (!stray.isEmpty()) {
        failures.add("cut " + n + " during '" + change + "': stray files " + stray);
      }
    } catch (Exception e) {
      failures.add("cut " + n + " during '" + change + "': " + e.getMessage());
    }
  }

  /** Each set's labels by model/name, for messages. */
  private static Map<String, List<String>> labels(Map<String, LabelSetDefinition> sets) {
    Map<String, List<String>> out = new TreeMap<>();
    sets.forEach(
        (key, d) ->
            out.put(key, d.labels().stream().map(LabelSetDefinition.Entry::label).toList()));
    return out;
  }

  private static LabelSetDefinition set(String model, String name, String... labels) {
    return new LabelSetDefinition(
        name,
        model,
        Stream.of(labels).map(l -> new LabelSetDefinition.Entry(l, List.of(), List.of())).toList(),
        List.of());
  }
}
