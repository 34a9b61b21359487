package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.client.FakeZeroShotService;
import zeroshot.client.InProcessServer;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.ListModelsResponse;

class ZeroShotCliTest {

  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  private final FakeZeroShotService fake = new FakeZeroShotService();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private InProcessServer server;
  private ConnectionSettings settings;

  @BeforeEach
  void start() {
    server = new InProcessServer(fake);
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  /** Runs the command line against the fake, recording the settings the command asked for. */
  private int run(String... args) {
    ClientFactory factory =
        settings -> {
          this.settings = settings;
          return ZeroShotClient.wrap(server.channel(), settings.deadline());
        };
    CommandLine commandLine = ZeroShotCli.commandLine(new ZeroShotCli(factory));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path image() throws Exception {
    return Files.write(dir.resolve("cat.png"), new byte[] {1, 2, 3});
  }

  @Test
  void classifyPrintsARankedTableAndTheModel() throws Exception {
    Path image = image();

    int exitCode =
        run(
            "classify",
            "--image",
            image.toString(),
            "--labels",
            "cat,dog,car",
            "--top-k",
            "2",
            "--template",
            "a photo of a {}.",
            "--model",
            "fake-clip");

    assertThat(exitCode).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .isEqualTo(
            "rank  label  probability  cosine"
                + NL
                + "   1  cat         50.00%  0.3000"
                + NL
                + "   2  dog         33.33%  0.2000"
                + NL
                + "model: fake-clip (version 7)"
                + NL);
    ClassifyRequest sent = (ClassifyRequest) fake.requests.take();
    assertThat(sent.getImage().getEncoded().toByteArray()).containsExactly(1, 2, 3);
    assertThat(sent.getLabelsList()).containsExactly("cat", "dog", "car");
    assertThat(sent.getTopK()).isEqualTo(2);
    assertThat(sent.getPromptTemplate()).isEqualTo("a photo of a {}.");
    assertThat(sent.getModel()).isEqualTo("fake-clip");
  }

  @Test
  void classifyWithJsonPrintsTheResponseAsParseableJson() throws Exception {
    int exitCode = run("classify", "--text", "meow", "--labels", "cat,dog", "--json");

    assertThat(exitCode).isZero();
    ClassifyResponse.Builder printed = ClassifyResponse.newBuilder();
    JsonFormat.parser().merge(out.toString(), printed);
    ClassifyRequest sent = (ClassifyRequest) fake.requests.take();
    assertThat(sent.getText()).isEqualTo("meow");
    assertThat(printed.build()).isEqualTo(FakeZeroShotService.classifyResponse(sent));
  }

  @Test
  void warningsOfTheAnswerArePrintedOnStderrAfterTheTable() {
    int exitCode = run("classify", "--text", "stripes", "--labels", "cat,zebra");

    assertThat(exitCode).isZero();
    assertThat(out.toString()).contains("zebra").doesNotContain("warning");
    assertThat(err.toString())
        .isEqualTo("warning: label \"zebra\": model fake-clip does not know \"zebra\"" + NL);
  }

  @Test
  void minScoreIsSentAndANoMatchAnswerSaysSo() throws Exception {
    int exitCode = run("classify", "--text", "meow", "--labels", "cat,dog", "--min-score", "0.5");

    assertThat(exitCode).isZero();
    ClassifyRequest sent = (ClassifyRequest) fake.requests.take();
    assertThat(sent.hasMinScore()).isTrue();
    assertThat(sent.getMinScore().getValue()).isEqualTo(0.5f);
    assertThat(
            ClassifyCommand.table(
                ClassifyResponse.newBuilder()
                    .setNoMatch(true)
                    .setModel("m")
                    .setModelVersion("1")
                    .build()))
        .isEqualTo("no label reached --min-score" + NL + "model: m (version 1)" + NL);
  }

  @Test
  void aUsageErrorPrintsItsMessageAndWhereHelpIsNotTheWholeUsage() {
    int exitCode = run("classify", "--text", "meow", "--labels", "cat", "--top-kk", "2");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("Unknown options: '--top-kk', '2'")
        .contains("--top-k")
        .endsWith("Try 'zeroshot classify --help'." + NL)
        .doesNotContain("Usage:");
  }

  @Test
  void invalidArgumentFromTheServerPrintsCodeAndDescriptionAndExitsWith2() {
    int exitCode = run("classify", "--text", "meow", "--labels", "cat", "--template", "a photo");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: INVALID_ARGUMENT: prompt_template: \"a photo\" (expected: \"{}\" exactly once)"
                + NL);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void missingImageFileExitsWith2WithoutCallingTheServer() {
    Path missing = dir.resolve("missing.png");

    int exitCode = run("classify", "--image", missing.toString(), "--labels", "cat");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: cannot read " + missing + ": no such file" + NL);
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void callThatOutlivesTheDeadlineExitsWith3() {
    fake.stopAnswering();

    int exitCode = run("models", "--deadline", "50ms");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_RETRY_LATER).isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "error: deadline of 50ms passed before the server answered (DEADLINE_EXCEEDED)" + NL);
  }

  @Test
  void aDeadlineTooShortForAnyAnswerIsNamedInsteadOfGrpcsInternalText() {
    fake.stopAnswering(); // the in-process fake can answer within 1ms

    int exitCode = run("classify", "--text", "x", "--labels", "a", "--deadline", "1ms");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_RETRY_LATER);
    assertThat(err.toString())
        .isEqualTo(
            "error: deadline of 1ms passed before the server answered (DEADLINE_EXCEEDED)" + NL);
  }

  @Test
  void deadlineHelpOfEachCommandStatesItsRealDefault() {
    for (String command : new String[] {"classify", "embed", "models", "bench"}) {
      StringWriter help = new StringWriter();
      ZeroShotCli.commandLine(new ZeroShotCli(settings -> null))
          .setOut(new PrintWriter(help, true))
          .execute(command, "--help");
      assertThat(help.toString().replaceAll("\\s+", " "))
          .as(command)
          .contains("Deadline of each call, e.g. 500ms, 10s, 2m (default: 30s).");
    }
    StringWriter help = new StringWriter();
    ZeroShotCli.commandLine(new ZeroShotCli(settings -> null))
        .setOut(new PrintWriter(help, true))
        .execute("classify-folder", "--help");
    assertThat(help.toString().replaceAll("\\s+", " "))
        .contains("Deadline of the whole stream")
        .contains("(default: none, the stream runs until every image is answered)")
        .doesNotContain("30s");
  }

  @Test
  void labelsAreTrimmed() throws Exception {
    int exitCode = run("classify", "--text", "x", "--labels", "red star, blue square ,green");

    ClassifyRequest sent = (ClassifyRequest) fake.requests.take();
    assertThat(sent.getLabelsList()).containsExactly("red star", "blue square", "green");
    assertThat(exitCode).isZero();
  }

  @Test
  void aBlankLabelIsAUsageErrorThatSaysWhatWasExpected() {
    int exitCode = run("classify", "--text", "x", "--labels", "cat, ,dog");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString())
        .startsWith("--labels: \"cat, ,dog\" (expected: comma-separated labels, none blank)");
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void everyCommandPrintsTheOneVersionOfTheBuild() {
    String expected = "zeroshot " + System.getProperty("project.version") + NL;
    for (String command :
        new String[] {"classify", "classify-folder", "embed", "models", "bench"}) {
      StringWriter version = new StringWriter();
      ZeroShotCli.commandLine(new ZeroShotCli(settings -> null))
          .setOut(new PrintWriter(version, true))
          .execute(command, "--version");
      assertThat(version.toString()).as(command).isEqualTo(expected);
    }
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).isEqualTo(expected);
  }

  @Test
  void embedTextsPrintsTheDimensionAndTheFirstValuesOfEachVector() throws Exception {
    int exitCode = run("embed", "--text", "a cat", "--text", "a dog");

    assertThat(exitCode).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "model: fake-clip (version 7)"
                + NL
                + "dimension: 10"
                + NL
                + "\"a cat\": [0.0100, 0.0200, 0.0300, 0.0400, 0.0500, 0.0600, 0.0700, 0.0800, ...]"
                + NL
                + "\"a dog\": [0.0200, 0.0400, 0.0600, 0.0800, 0.1000, 0.1200, 0.1400, 0.1600, ...]"
                + NL);
    assertThat(((EmbedTextsRequest) fake.requests.take()).getTextsList())
        .containsExactly("a cat", "a dog");
  }

  @Test
  void embedImagesWithJsonPrintsEveryValue() throws Exception {
    int exitCode = run("embed", "--image", image().toString(), "--json");

    assertThat(exitCode).isZero();
    assertThat(out.toString()).contains("\"dimension\": 10").contains("0.1");
  }

  @Test
  void modelsPrintsEveryModelAndMarksTheDefault() {
    int exitCode = run("models");

    assertThat(exitCode).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "name         version  family  dimension  image size  context  scoring  preprocess"
                + "  precision      device  ready"
                + NL
                + "fake-clip *  7        clip           10         224       77  softmax  exact     "
                + "  float32        cpu     yes"
                + NL
                + "fake-large   7        clip           10         224       77  softmax  exact     "
                + "  int8/bfloat16  cpu     no"
                + NL);
  }

  @Test
  void modelsWithJsonPrintsTheResponse() throws Exception {
    assertThat(run("models", "--json")).isZero();

    ListModelsResponse.Builder printed = ListModelsResponse.newBuilder();
    JsonFormat.parser().merge(out.toString(), printed);
    assertThat(printed.build()).isEqualTo(FakeZeroShotService.modelsResponse());
  }

  @Test
  void connectionOptionsReachTheClientFactory() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "unused by the fake");

    run(
        "models",
        "--target",
        "dns:///zeroshot:50051",
        "--ca-cert",
        ca.toString(),
        "--deadline",
        "2m");

    assertThat(settings)
        .isEqualTo(
            new ConnectionSettings("dns:///zeroshot:50051", true, ca, Duration.ofMinutes(2)));
  }

  @Test
  void clientCertificateAndTokenFileReachTheClientFactoryAndImplyTls() throws Exception {
    Path cert = Files.writeString(dir.resolve("client.pem"), "unused by the fake");
    Path key = Files.writeString(dir.resolve("client.key"), "unused by the fake");
    Path token = Files.writeString(dir.resolve("token"), "unused by the fake");

    run(
        "models",
        "--client-cert",
        cert.toString(),
        "--client-key",
        key.toString(),
        "--token-file",
        token.toString());

    assertThat(settings.tls()).isTrue();
    assertThat(settings.caCert()).isNull();
    assertThat(settings.clientCert()).isEqualTo(cert);
    assertThat(settings.clientKey()).isEqualTo(key);
    assertThat(settings.tokenFile()).isEqualTo(token);
    assertThat(settings.token()).isNull();
  }

  @Test
  void aTokenOnTheCommandLineIsSentButNeverPrinted() {
    run("models", "--token", "s3cret");

    assertThat(settings.token()).isEqualTo("s3cret");
    assertThat(settings.tls()).isFalse();
    assertThat(settings.toString()).doesNotContain("s3cret").contains("token=****");
  }

  @Test
  void bothTokenOptionsOrACertificateWithoutKeyAreUsageErrors() {
    assertThat(run("models", "--token", "a", "--token-file", "b")).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
    assertThat(run("models", "--client-cert", "c.pem")).isEqualTo(2);
    assertThat(err.toString()).contains("--client-key");
    assertThat(settings).isNull();
  }

  @Test
  void anEmptyTokenFileFailsBeforeAnyCallWithExitCode2() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty-token"), "\n");
    ZeroShotCli cli = new ZeroShotCli(ClientFactory.network());
    StringWriter errors = new StringWriter();

    int exitCode =
        new CommandLine(cli)
            .setErr(new PrintWriter(errors))
            .execute("models", "--target", "127.0.0.1:1", "--token-file", empty.toString());

    assertThat(exitCode).isEqualTo(2);
    assertThat(errors.toString())
        .contains("error: --token-file: " + empty + " is empty (expected: one token)");
  }

  @Test
  void defaultsAreLocalhostPlaintextAndThirtySeconds() {
    run("models");

    // ZEROSHOT_TARGET, when set in the environment running the tests, replaces the target.
    String target = System.getenv().getOrDefault("ZEROSHOT_TARGET", "localhost:50051");
    assertThat(settings)
        .isEqualTo(new ConnectionSettings(target, false, null, Duration.ofSeconds(30)));
  }

  @Test
  void invalidDeadlineIsAUsageErrorThatExitsWith2() {
    int exitCode = run("models", "--deadline", "soon");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("'soon' (expected: a positive duration");
    assertThat(settings).isNull();
  }

  @Test
  void withoutSubcommandPrintsUsageAndExitsWith2() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: zeroshot").contains("Exit codes:");
  }

  @Test
  void imageAndTextTogetherIsAUsageError() throws Exception {
    int exitCode = run("classify", "--image", image().toString(), "--text", "x", "--labels", "a");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
    assertThat(fake.requests).isEmpty();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void classifyCanNameALabelSetInsteadOfLabels() throws Exception {
    int exitCode = run("classify", "--text", "meow", "--label-set", "pets", "--model", "tiny-clip");

    ClassifyRequest sent = (ClassifyRequest) fake.requests.take();
    assertThat(sent.getLabelSet()).isEqualTo("pets");
    assertThat(sent.getLabelsList()).isEmpty();
    assertThat(sent.getModel()).isEqualTo("tiny-clip");
    assertThat(exitCode).isZero(); // the fake answers a label set with no scores
  }

  @Test
  void labelsAndALabelSetTogetherIsAUsageError() {
    int exitCode = run("classify", "--text", "x", "--labels", "a", "--label-set", "pets");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
    assertThat(fake.requests).isEmpty();
  }
}
