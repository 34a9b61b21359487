package zeroshot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shell commands in README.md, CONTRIBUTING.md and docs/*.md, as a reader on a fresh clone
 * would copy them: Maven commands that pick a module also build what it depends on ({@code -am}),
 * every test they name exists, and every script or tool they run is in the repository. (What the
 * commands print is checked by the tests of each feature; this keeps the documentation from naming
 * things that are gone or commands that fail before they start.)
 */
class DocumentedCommandsTest {
  private static final Path ROOT = RenderedChart.repoRoot();

  /** A fenced block with any info string; only shell ones (sh, bash, none) are read. */
  private static final Pattern FENCE = Pattern.compile("(?ms)^```([\\w+-]*)[^\\n]*\\n(.*?)^```");

  /** Inline code, as in tables: {@code `mvn ... -Dtest=X`}. */
  private static final Pattern INLINE = Pattern.compile("`([^`\\n]+)`");

  private static final Pattern TEST = Pattern.compile("-Dtest=(?:'([^']*)'|(\\S+))");
  private static final Pattern RUNS =
      Pattern.compile(
          "^(?:\\S+=\\S+\\s+)*(?:/usr/bin/python3|python3|bash)?\\s*((?:bin|bench|tools|\\.ci)/\\S+)");

  private static final List<Block> blocks = new ArrayList<>();
  private static final List<Path> testSources = new ArrayList<>();

  /** A code block of a document, its commands with continuation lines joined. */
  private record Block(Path file, List<String> commands) {}

  @BeforeAll
  static void read() throws IOException {
    List<Path> docs =
        new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md")));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    for (Path doc : docs) {
      String text = Files.readString(doc);
      List<String> inline = new ArrayList<>();
      Matcher code = INLINE.matcher(text.replaceAll("(?ms)^```.*?^```", ""));
      while (code.find()) {
        if (code.group(1).startsWith("mvn ") || code.group(1).contains("-Dtest=")) {
          inline.add(code.group(1).strip());
        }
      }
      blocks.add(new Block(ROOT.relativize(doc), inline));
      Matcher m = FENCE.matcher(text);
      while (m.find()) {
        if (!m.group(1).matches("|sh|bash|shell")) {
          continue;
        }
        List<String> commands = new ArrayList<>();
        for (String line : m.group(2).replace("\\\n", " ").split("\n")) {
          String command = line.strip();
          if (!command.isEmpty() && !command.startsWith("#")) {
            commands.add(command.replaceAll("\\s+#.*$", ""));
          }
        }
        blocks.add(new Block(ROOT.relativize(doc), commands));
      }
    }
    try (Stream<Path> files = Files.walk(ROOT)) {
      files
          .filter(f -> f.toString().contains("/src/test/java/") && f.toString().endsWith(".java"))
          .forEach(testSources::add);
    }
  }

  @Test
  void mavenCommandsThatPickAModuleAlsoBuildItsDependencies() {
    List<String> problems = new ArrayList<>();
    for (Block block : blocks) {
      boolean installed = false;
      for (String command : block.commands()) {
        if (!command.startsWith("mvn ")) {
          continue;
        }
        boolean picks = command.matches(".*\\s-pl\\s.*");
        if (picks && !command.matches(".*\\s-am(\\s.*|$)") && !installed) {
          problems.add(block.file() + ": " + command);
        }
        installed |= command.matches(".*\\sinstall(\\s.*|$)");
      }
    }
    System.out.println("maven commands checked in " + blocks.size() + " code blocks");
    assertThat(problems).as("'-pl' without '-am' fails on a fresh clone").isEmpty();
  }

  @Test
  void everyTestAMavenCommandNamesExists() {
    List<String> problems = new ArrayList<>();
    int named = 0;
    for (Block block : blocks) {
      for (String command : block.commands()) {
        Matcher m = TEST.matcher(command);
        while (m.find()) {
          String list = m.group(1) != null ? m.group(1) : m.group(2);
          for (String name : list.split(",")) {
            String pattern = name.strip().replaceAll("#.*$", "");
            named++;
            if (!pattern.isEmpty() && !exists(pattern)) {
              problems.add(block.file() + ": -Dtest names '" + pattern + "', which no test is");
            }
          }
        }
      }
    }
    System.out.println(named + " documented test names checked");
    assertThat(named).isPositive();
    assertThat(problems).isEmpty();
  }

  @Test
  void everyScriptOrToolACommandRunsIsInTheRepository() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Block block : blocks) {
      for (String command : block.commands()) {
        Matcher m = RUNS.matcher(command);
        if (m.find()) {
          checked++;
          if (!Files.exists(ROOT.resolve(m.group(1)))) {
            problems.add(block.file() + ": " + m.group(1) + " is not in the repository");
          }
        }
      }
    }
    System.out.println(checked + " documented scripts and tools checked");
    assertThat(checked).isPositive();
    assertThat(problems).isEmpty();
  }

  private static boolean exists(String pattern) {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern + ".java");
    return testSources.stream().anyMatch(f -> matcher.matches(f.getFileName()));
  }
}
