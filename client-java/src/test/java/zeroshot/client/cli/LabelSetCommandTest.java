package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.client.FakeZeroShotService;
import zeroshot.client.InProcessServer;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.ListLabelSetsResponse;
import zeroshot.v1.PutLabelSetRequest;

class LabelSetCommandTest {

  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  private final FakeZeroShotService fake = new FakeZeroShotService();
  private final InProcessServer server = new InProcessServer(fake);
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();
  private ConnectionSettings settings;

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  /** Runs {@code zeroshot label-set ARGS} against the fake, with fresh output. */
  private int labelSet(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    ClientFactory factory =
        settings -> {
          this.settings = settings;
          return ZeroShotClient.wrap(server.channel(), settings.deadline());
        };
    CommandLine commandLine = ZeroShotCli.commandLine(new ZeroShotCli(factory));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "label-set";
    System.arraycopy(args, 0, all, 1, args.length);
    return commandLine.execute(all);
  }

  private static LabelSetEntry entry(String label) {
    return LabelSetEntry.newBuilder().setLabel(label).build();
  }

  @Test
  void putSendsTrimmedLabelsAndEveryTemplateAndPrintsWhatTheServerHolds() throws Exception {
    int exitCode =
        labelSet(
            "put",
            "pets",
            "--labels",
            "cat, dog",
            "--template",
            "a photo of a {}.",
            "--template",
            "a drawing of a {}, in pencil");

    assertThat(exitCode).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "created label set pets for model fake-clip (version 7): 2 labels, 4 prompts" + NL);
    assertThat(((PutLabelSetRequest) fake.requests.take()).getLabelSet())
        .isEqualTo(
            LabelSet.newBuilder()
                .setName("pets")
                .addLabels(entry("cat"))
                .addLabels(entry("dog"))
                .addPromptTemplates("a photo of a {}.")
                .addPromptTemplates("a drawing of a {}, in pencil")
                .build());

    assertThat(labelSet("put", "pets", "--labels", "cat", "--model", "fake-clip")).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "replaced label set pets for model fake-clip (version 7): 1 label, 1 prompt" + NL);
  }

  @Test
  void putFromAFileCarriesSynonymsAndExtraPromptsWithNameAndModelFromTheCommandLine()
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("pets.json"),
            "{\"name\": \"ignored\", \"labels\": [{\"label\": \"cat\", \"synonyms\": [\"kitten\"],"
                + " \"extraPrompts\": [\"a close-up photo of a tabby cat\"]}],"
                + " \"promptTemplates\": [\"a photo of a {}.\"]}");

    int exitCode = labelSet("put", "pets", "--file", file.toString(), "--model", "fake-large");

    assertThat(exitCode).as(err.toString()).isZero();
    LabelSet sent = ((PutLabelSetRequest) fake.requests.take()).getLabelSet();
    assertThat(sent.getName()).isEqualTo("pets");
    assertThat(sent.getModel()).isEqualTo("fake-large");
    assertThat(sent.getLabels(0).getSynonymsList()).containsExactly("kitten");
    assertThat(sent.getLabels(0).getExtraPromptsList())
        .containsExactly("a close-up photo of a tabby cat");
    assertThat(out.toString()).endsWith(": 1 label, 3 prompts" + NL);
  }

  @Test
  void getPrintsTheTemplatesAndOneRowPerLabel() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("pets.json"),
            "{\"labels\": [{\"label\": \"cat\", \"synonyms\": [\"kitten\", \"kitty\"]},"
                + " {\"label\": \"dog\", \"extraPrompts\": [\"a puppy\"]}],"
                + " \"promptTemplates\": [\"a photo of a {}.\"]}");
    labelSet("put", "pets", "--file", file.toString());
    fake.requests.clear();

    int exitCode = labelSet("get", "pets");

    assertThat(exitCode).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "label set pets for model fake-clip (version 7): 2 labels, 5 prompts"
                + NL
                + "templates: \"a photo of a {}.\""
                + NL
                + "label  synonyms       extra prompts"
                + NL
                + "cat    kitten; kitty"
                + NL
                + "dog                   a puppy"
                + NL);
    assertThat(fake.requests.take())
        .isEqualTo(GetLabelSetRequest.newBuilder().setName("pets").build());
  }

  @Test
  void getJsonIsReadBackByPutFile() throws Exception {
    labelSet("put", "pets", "--labels", "cat,dog", "--template", "a photo of a {}.");
    assertThat(labelSet("get", "pets", "--json")).isZero();
    Path saved = Files.writeString(dir.resolve("saved.json"), out.toString());
    fake.requests.clear();

    assertThat(labelSet("put", "pets-copy", "--file", saved.toString())).isZero();

    LabelSet copy = ((PutLabelSetRequest) fake.requests.take()).getLabelSet();
    assertThat(copy.getName()).isEqualTo("pets-copy");
    assertThat(copy.getLabelsList()).containsExactly(entry("cat"), entry("dog"));
    assertThat(copy.getPromptTemplatesList()).containsExactly("a photo of a {}.");
    assertThat(copy.getModel()).isEmpty(); // --model not given: the server's default
  }

  @Test
  void listPrintsATableByModelThenNameOrSaysThereAreNone() throws Exception {
    assertThat(labelSet("list")).isZero();
    assertThat(out.toString()).isEqualTo("no label sets" + NL);
    labelSet("put", "b", "--labels", "x", "--model", "fake-large");
    labelSet("put", "a", "--labels", "x,y", "--template", "{}!");

    assertThat(labelSet("list")).isZero();

    assertThat(out.toString())
        .isEqualTo(
            "model       name  version  labels  prompts"
                + NL
                + "fake-clip   a     7             2        2"
                + NL
                + "fake-large  b     7             1        1"
                + NL);
    assertThat(labelSet("list", "--model", "fake-clip", "--json")).isZero();
    ListLabelSetsResponse.Builder printed = ListLabelSetsResponse.newBuilder();
    JsonFormat.parser().merge(out.toString(), printed);
    assertThat(printed.getLabelSetsList()).extracting(i -> i.getName()).containsExactly("a");
  }

  @Test
  void deleteRemovesTheSetAndAnUnknownSetExitsWith2() throws Exception {
    labelSet("put", "pets", "--labels", "cat", "--model", "fake-large");
    fake.requests.clear();

    assertThat(labelSet("delete", "pets", "--model", "fake-large")).isZero();

    assertThat(out.toString()).isEqualTo("deleted label set pets for model fake-large" + NL);
    assertThat(fake.requests.take())
        .isEqualTo(
            DeleteLabelSetRequest.newBuilder().setName("pets").setModel("fake-large").build());
    assertThat(labelSet("delete", "pets", "--model", "fake-large"))
        .isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString())
        .isEqualTo("error: NOT_FOUND: label set 'pets' for model 'fake-large': unknown" + NL);
    assertThat(labelSet("get", "pets")).isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aSetTheServerRejectsExitsWith2WithItsMessage() {
    Path empty = dir.resolve("empty.json");

    int exitCode = labelSet("put", "pets", "--file", write(empty, "{}"));

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST);
    assertThat(err.toString())
        .isEqualTo(
            "error: INVALID_ARGUMENT: label_set.labels: 0 labels (expected: 1 to 10000)" + NL);
  }

  @Test
  void usageErrorsExitWith2WithoutCallingTheServer() {
    assertThat(labelSet()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: zeroshot label-set").contains("put", "delete");
    assertThat(labelSet("put", "--labels", "cat")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'NAME'");
    assertThat(labelSet("put", "pets")).isEqualTo(2);
    assertThat(err.toString()).contains("--labels", "--file");
    assertThat(labelSet("put", "pets", "--labels", "a", "--file", "pets.json")).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
    assertThat(labelSet("put", "pets", "--template", "a {}")).isEqualTo(2);
    assertThat(err.toString()).contains("--labels");
    assertThat(labelSet("put", "pets", "--file", "pets.json", "--template", "a {}")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("--template: not with --file (expected: the file's promptTemplates)");
    assertThat(labelSet("put", "pets", "--labels", "cat,,dog")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("--labels: \"cat,,dog\" (expected: comma-separated labels, none blank)");
    assertThat(labelSet("get")).isEqualTo(2);
    assertThat(labelSet("delete")).isEqualTo(2);
    assertThat(labelSet("rename", "pets")).isEqualTo(2);
    assertThat(fake.requests).isEmpty();
    assertThat(settings).isNull();
  }

  @Test
  void aMissingOrMalformedFileExitsWith2AndNamesIt() {
    Path missing = dir.resolve("missing.json");
    assertThat(labelSet("put", "pets", "--file", missing.toString())).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: cannot read " + missing + ": no such file" + NL);

    Path malformed = dir.resolve("pets.json");
    assertThat(labelSet("put", "pets", "--file", write(malformed, "{\"labels\": [\"cat\"]}")))
        .isEqualTo(2);
    assertThat(err.toString())
        .startsWith("error: cannot read " + malformed + ": ")
        .endsWith(" (expected: a LabelSet in JSON)" + NL);
    for (String notASet : new String[] {"", "[1]", "{\"labels\": ", "{\"label\": \"cat\"}"}) {
      assertThat(labelSet("put", "pets", "--file", write(malformed, notASet)))
          .as(notASet)
          .isEqualTo(2);
      assertThat(err.toString()).as(notASet).endsWith(" (expected: a LabelSet in JSON)" + NL);
    }
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void aCallThatOutlivesTheDeadlineExitsWith3() {
    fake.stopAnswering();

    assertThat(labelSet("list", "--deadline", "50ms")).isEqualTo(ZeroShotCli.EXIT_RETRY_LATER);
    assertThat(err.toString())
        .isEqualTo(
            "error: deadline of 50ms passed before the server answered (DEADLINE_EXCEEDED)" + NL);
  }

  @Test
  void everySubcommandTakesTheConnectionOptionsAndADeadlineOf30sByDefault() {
    for (String command : new String[] {"put", "get", "list", "delete"}) {
      StringWriter help = new StringWriter();
      ZeroShotCli.commandLine(new ZeroShotCli(settings -> null))
          .setOut(new PrintWriter(help, true))
          .execute("label-set", command, "--help");
      assertThat(help.toString().replaceAll("\\s+", " "))
          .as(command)
          .contains("--target=TARGET", "--token-file=FILE", "--ca-cert=FILE")
          .contains("Deadline of each call, e.g. 500ms, 10s, 2m (default: 30s).");
    }
    labelSet("list", "--target", "dns:///zeroshot:50051", "--tls", "--deadline", "2m");
    assertThat(settings)
        .isEqualTo(
            new ConnectionSettings("dns:///zeroshot:50051", true, null, Duration.ofMinutes(2)));
  }

  @Test
  void everySubcommandPrintsTheOneVersionOfTheBuild() {
    String expected = "zeroshot " + System.getProperty("project.version") + NL;
    for (String command : new String[] {"put", "get", "list", "delete"}) {
      assertThat(labelSet(command, "--version")).isZero();
      assertThat(out.toString()).as(command).isEqualTo(expected);
    }
  }

  private static String write(Path file, String text) {
    try {
      return Files.writeString(file, text).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
