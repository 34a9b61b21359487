package zeroshot.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.server.model.TestModels;

/** The command on the bundled model against itself: what --update-eval writes into eval.json. */
class InProcessCostTest {

  @Test
  void updateEvalWritesTheComparisonAsServing(@TempDir Path dir) throws Exception {
    Path copy = dir.resolve("tiny-clip");
    copyTree(TestModels.tinyClip(), copy);

    int code =
        new CommandLine(new InProcessCost())
            .execute(
                "--model-dir",
                copy.toString(),
                "--baseline-dir",
                TestModels.tinyClip().toString(),
                "--batch",
                "4",
                "--warmup-rounds",
                "2",
                "--rounds",
                "8",
                "--target-ratio",
                "0.7",
                "--update-eval");

    assertThat(code).isZero();
    JsonObject eval =
        JsonParser.parseString(Files.readString(copy.resolve("eval.json"))).getAsJsonObject();
    JsonObject serving = eval.getAsJsonObject("serving");
    String version = eval.get("model_version").getAsString();
    assertThat(serving.get("version").getAsString()).isEqualTo(version);
    assertThat(serving.get("baseline_version").getAsString()).isEqualTo(version);
    assertThat(serving.get("image_encoder_bytes").getAsLong())
        .isEqualTo(Files.size(copy.resolve("model.pt")));
    assertThat(serving.get("rounds").getAsInt()).isEqualTo(8);
    assertThat(serving.get("batch").getAsInt()).isEqualTo(4);
    assertThat(serving.get("target_ratio").getAsDouble()).isEqualTo(0.7);
    assertThat(serving.get("ratio").getAsDouble()).isPositive();
    assertThat(serving.getAsJsonArray("ratio_quartiles")).hasSize(2);
    assertThat(serving.getAsJsonObject("cpu_ms_per_batch").getAsJsonObject("this").keySet())
        .containsExactly("pipeline", "encoder");
    // Every other figure is kept.
    assertThat(eval.has("independent_renderer")).isTrue();
    assertThat(eval.has("fashion_mnist_test")).isTrue();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
