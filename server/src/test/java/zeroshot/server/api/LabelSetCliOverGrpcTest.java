package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.client.cli.ZeroShotCli;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.RunningServer;

/**
 * {@code zeroshot label-set} against the real server on loopback with the bundled model: a set put
 * from the command line is what classify --label-set uses, and the server's errors reach the user
 * with their messages and the CLI's exit codes.
 */
@Timeout(120)
class LabelSetCliOverGrpcTest {

  private static final String NL = System.lineSeparator();
  private static RunningServer running;

  @TempDir Path dir;

  private StringWriter out;
  private StringWriter err;

  @BeforeAll
  static void start() throws Exception {
    running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 1, 64, Limits.defaults(), Duration.ofSeconds(5)),
            TorchScriptClipModel::load);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    running.close();
  }

  /** Runs {@code zeroshot ARGS --target <the server>} over the network, with fresh output. */
  private int zeroshot(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--target";
    all[args.length + 1] = "127.0.0.1:" + running.server.port();
    return new CommandLine(new ZeroShotCli())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(all);
  }

  @Test
  void aSetPutFromTheCommandLineIsUsedByClassifyListedShownAndDeleted() {
    int put =
        zeroshot(
            "label-set",
            "put",
            "shapes",
            "--labels",
            "red star, red circle,green star",
            "--template",
            "a photo of a {}");
    assertThat(put).as(err.toString()).isZero();
    assertThat(out.toString())
        .startsWith("created label set shapes for model tiny-clip (version ")
        .endsWith("): 3 labels, 3 prompts" + NL);

    Path redStar = TestModels.tinyClip().resolve("samples/shape_013_red_star.png");
    int classify =
        zeroshot(
            "classify", "--image", redStar.toString(), "--label-set", "shapes", "--top-k", "1");
    assertThat(classify).as(err.toString()).isZero();
    assertThat(out.toString().lines().skip(1).findFirst())
        .hasValueSatisfying(row -> assertThat(row).contains("red star"));

    assertThat(zeroshot("label-set", "list")).isZero();
    assertThat(out.toString()).contains("tiny-clip  shapes").startsWith("model ");
    assertThat(zeroshot("label-set", "get", "shapes")).isZero();
    assertThat(out.toString())
        .contains("templates: \"a photo of a {}\"" + NL)
        .contains(NL + "red circle" + NL);

    assertThat(zeroshot("label-set", "delete", "shapes")).isZero();
    assertThat(out.toString()).isEqualTo("deleted label set shapes for model tiny-clip" + NL);
    assertThat(zeroshot("label-set", "get", "shapes")).isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString())
        .startsWith("error: NOT_FOUND: label set 'shapes' for model 'tiny-clip': unknown");
  }

  @Test
  void aSetFromAFileKeepsItsSynonymsAndExtraPrompts() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("shoes.json"),
            "{\"labels\": [{\"label\": \"sneaker\", \"synonyms\": [\"trainer\"],"
                + " \"extraPrompts\": [\"a photo of a running shoe\"]}, {\"label\": \"bag\"}],"
                + " \"promptTemplates\": [\"a photo of a {}\", \"a picture of a {}\"]}");

    assertThat(zeroshot("label-set", "put", "shoes", "--file", file.toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).endsWith("): 2 labels, 7 prompts" + NL);
    assertThat(zeroshot("label-set", "get", "shoes")).isZero();
    assertThat(out.toString()).contains("sneaker  trainer   a photo of a running shoe" + NL);
    assertThat(zeroshot("label-set", "delete", "shoes", "--model", "tiny-clip")).isZero();
  }

  @Test
  void theServersRejectionsExitWith2AndSayWhatWasExpected() {
    assertThat(zeroshot("label-set", "put", "bad", "--labels", "x", "--template", "a {} {}"))
        .isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString())
        .startsWith(
            "error: INVALID_ARGUMENT: label_set.prompt_templates[0]: \"a {} {}\" (expected: \"{}\""
                + " exactly once");

    assertThat(zeroshot("label-set", "put", "bad name", "--labels", "x"))
        .isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString()).startsWith("error: INVALID_ARGUMENT: label_set.name: \"bad name\"");

    assertThat(zeroshot("label-set", "list", "--model", "vit"))
        .isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString()).startsWith("error: NOT_FOUND: model 'vit': unknown");
  }
}
