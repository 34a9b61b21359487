package zeroshot.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.Processes;
import zeroshot.server.testing.RunningServer;

/**
 * The README's curl examples of the HTTP/JSON port, run as a reader would run them (bash, curl,
 * from the repository root) against a real server on the bundled model, in order; what each block
 * prints must be the JSON shown under it, line for line in any order (a stream answers in any
 * order), numbers within 1e-3.
 */
class HttpReadmeExamplesTest {
  private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```");
  private static final String SECTION = "### Over HTTP/JSON, and the playground";

  /** A shell block and the output shown under it. */
  private record Example(String script, List<String> expected) {}

  @Test
  void everyCurlExamplePrintsWhatTheReadmeShows() throws Exception {
    assumeThat(Processes.run(List.of("curl", "--version"), 10).exitCode())
        .as("curl is missing: apt-get install curl")
        .isZero();
    Path root = TestModels.repoRoot();
    List<Example> examples = examples(Files.readString(root.resolve("README.md")));
    assertThat(examples).hasSizeGreaterThanOrEqualTo(4);

    try (RunningServer running = RunningServer.readyOnTinyClip()) {
      String address = "127.0.0.1:" + running.server.httpPort();
      for (Example example : examples) {
        String script = example.script().replace("localhost:8080", address);
        Processes.Result result =
            Processes.run(
                List.of("bash", "-c", "set -euo pipefail\ncd '" + root + "'\n" + script), 60);

        assertThat(result.exitCode()).as(script + "\n" + result.output()).isZero();
        List<String> printed = result.output().lines().filter(l -> !l.isBlank()).toList();
        assertThat(printed).as(script).hasSameSizeAs(example.expected());
        for (String expected : example.expected()) {
          assertThat(printed)
              .as("%s%nprinted: %s%nexpected a line like: %s", script, printed, expected)
              .anyMatch(line -> same(JsonParser.parseString(expected), parse(line)));
        }
      }
    }
  }

  private static List<Example> examples(String readme) {
    int start = readme.indexOf(SECTION);
    assertThat(start).as("README section " + SECTION).isNotNegative();
    int end = readme.indexOf("\n## ", start);
    Matcher m = FENCE.matcher(readme.substring(start, end));
    List<Map.Entry<String, String>> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(Map.entry(m.group(1), m.group(2)));
    }
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i + 1 < blocks.size(); i++) {
      if (blocks.get(i).getKey().equals("sh") && blocks.get(i + 1).getKey().equals("json")) {
        List<String> expected =
            blocks.get(i + 1).getValue().lines().filter(l -> !l.isBlank()).toList();
        examples.add(new Example(blocks.get(i).getValue(), expected));
      }
    }
    return examples;
  }

  private static JsonElement parse(String line) {
    try {
      return JsonParser.parseString(line);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Equal JSON, numbers within 1e-3 (the model's floats may differ in the last digits). */
  private static boolean same(JsonElement expected, JsonElement actual) {
    if (actual == null || expected.getClass() != actual.getClass()) {
      return false;
    }
    if (expected.isJsonObject()) {
      var e = expected.getAsJsonObject();
      var a = actual.getAsJsonObject();
      return e.keySet().equals(a.keySet())
          && e.keySet().stream().allMatch(k -> same(e.get(k), a.get(k)));
    }
    if (expected.isJsonArray()) {
      var e = expected.getAsJsonArray();
      var a = actual.getAsJsonArray();
      if (e.size() != a.size()) {
        return false;
      }
      for (int i = 0; i < e.size(); i++) {
        if (!same(e.get(i), a.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (expected.isJsonPrimitive() && expected.getAsJsonPrimitive().isNumber()) {
      return actual.getAsJsonPrimitive().isNumber()
          && Math.abs(expected.getAsDouble() - actual.getAsDouble()) <= 1e-3;
    }
    return expected.equals(actual);
  }
}
