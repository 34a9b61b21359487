package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.TorchScriptClipModel;
import zeroshot.server.testing.Processes;
import zeroshot.server.testing.Processes.Result;
import zeroshot.server.testing.RunningServer;

/**
 * A polyglot caller: Debian's Python gRPC, with stubs generated from the project's proto at test
 * time, classifies a sample and gets INVALID_ARGUMENT for an empty label list. Skipped, saying why,
 * where Python gRPC is not installed ({@code .ci/run} installs it).
 */
class PythonClientTest {
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path stubs;

  @Test
  void pythonClientClassifiesAndSeesInvalidArgument() throws Exception {
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
                "google/rpc/status.proto"));
    assertThat(generated.exitCode()).as(generated.output()).isZero();

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

  private static Result run(List<String> command) {
    return Processes.run(command, 120);
  }
}
