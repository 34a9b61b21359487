package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.Processes;
import zeroshot.server.testing.Processes.Result;
import zeroshot.server.testing.RunningServer;

/**
 * A polyglot caller: Debian's Python gRPC, with stubs generated from the project's proto at test
 * time, classifies a sample and gets INVALID_ARGUMENT for an empty label list, and gets the real
 * code (not a header-size error) where a message echoes a 100 KB value. Skipped, saying why, where
 * Python gRPC is not installed ({@code .ci/run} installs it).
 */
class PythonClientTest {
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path stubs;

  @Test
  void pythonClientClassifiesAndSeesInvalidArgument() throws Exception {
    Path root = generateStubs();
    try (RunningServer running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 2, 16, Limits.defaults(), Duration.ofSeconds(5)),
            TorchScriptClipModel::load)) {
      Result client =
          run(
              List.of(
                  PYTHON,
                  root.resolve("server/src/test/python/polyglot_client.py").toString(),
                  stubs.toString(),
                  Integer.toString(running.server.port()),
                  TestModels.tinyClip().resolve("samples/shape_000_blue_diamond.png").toString()));
      assertThat(client.exitCode()).as(client.output()).isZero();

      String json = client.output().lines().reduce((a, b) -> b).orElse("{}");
      JsonObject result = JsonParser.parseString(json).getAsJsonObject();
      assertThat(result.get("model").getAsString()).isEqualTo("tiny-clip");
      assertThat(result.getAsJsonArray("scores")).hasSize(2);
      assertThat(
              result.getAsJsonArray("scores").get(0).getAsJsonObject().get("label").getAsString())
          .isEqualTo("blue diamond");
      JsonObject error = result.getAsJsonObject("empty_labels");
      assertThat(error.get("code").getAsString()).isEqualTo("INVALID_ARGUMENT");
      assertThat(error.get("details").getAsString())
          .isEqualTo("labels: none (expected: 1 to 1000 candidate labels, or a label_set)");
    }
  }

  @Test
  void pythonClientSeesTheRealCodeWhenAnErrorEchoesAHundredKilobyteValue() throws Exception {
    Path root = generateStubs();
    try (RunningServer running = LongValuesOverGrpcTest.startWithHundredLabelSets()) {
      Result client =
          run(
              List.of(
                  PYTHON,
                  root.resolve("server/src/test/python/long_values_client.py").toString(),
                  stubs.toString(),
                  Integer.toString(running.server.port())));
      assertThat(client.exitCode()).as(client.output()).isZero();

      String json = client.output().lines().reduce((a, b) -> b).orElse("{}");
      JsonObject result = JsonParser.parseString(json).getAsJsonObject();
      Map<String, String> codes = new TreeMap<>();
      result.entrySet().forEach(e -> codes.put(e.getKey(), code(e.getValue())));
      assertThat(codes)
          .containsExactlyInAnyOrderEntriesOf(
              Map.ofEntries(
                  Map.entry("Classify model", "NOT_FOUND"),
                  Map.entry("Classify label_set", "NOT_FOUND"),
                  Map.entry("Classify prompt_template", "INVALID_ARGUMENT"),
                  Map.entry("Classify duplicate label", "INVALID_ARGUMENT"),
                  Map.entry("Classify text", "INVALID_ARGUMENT"),
                  Map.entry("EmbedTexts model", "NOT_FOUND"),
                  Map.entry("PutLabelSet name", "INVALID_ARGUMENT"),
                  Map.entry("PutLabelSet model", "NOT_FOUND"),
                  Map.entry("PutLabelSet template", "INVALID_ARGUMENT"),
                  Map.entry("GetLabelSet name", "NOT_FOUND"),
                  Map.entry("GetLabelSet among 100", "NOT_FOUND"),
                  Map.entry("DeleteLabelSet name", "NOT_FOUND"),
                  Map.entry("ListLabelSets model", "NOT_FOUND")));
      result
          .entrySet()
          .forEach(
              e ->
                  assertThat(e.getValue().getAsJsonObject().get("details").getAsString())
                      .as(e.getKey())
                      .hasSizeLessThan(LongValuesOverGrpcTest.SHORT)
                      .contains("expected"));
      assertThat(result.getAsJsonObject("GetLabelSet among 100").get("details").getAsString())
          .endsWith(" and 95 more; ListLabelSets lists them all)");
    }
  }

  private static String code(com.google.gson.JsonElement outcome) {
    return outcome.getAsJsonObject().get("code").getAsString();
  }

  /**
   * Generates the Python stubs into {@link #stubs}; skips the test where Python gRPC is missing.
   */
  private Path generateStubs() {
    assumeThat(run(List.of(PYTHON, "-c", "import grpc, grpc_tools.protoc")).exitCode())
        .as("Python gRPC is missing: apt-get install python3-grpcio python3-grpc-tools")
        .isZero();
    Path root = TestModels.repoRoot();
    Result generated =
        run(
            List.of(
                PYTHON,
                "-m",
                "grpc_tools.protoc",
                "-I" + root.resolve("proto/src/main/proto"),
                "-I" + root.resolve("proto/third_party"),
                "--python_out=" + stubs,
                "--grpc_python_out=" + stubs,
                "zeroshot/v1/zeroshot.proto",
                "google/api/annotations.proto",
                "google/api/http.proto",
                "google/rpc/status.proto"));
    assertThat(generated.exitCode()).as(generated.output()).isZero();
    return root;
  }

  private static Result run(List<String> command) {
    return Processes.run(command, 120);
  }
}
