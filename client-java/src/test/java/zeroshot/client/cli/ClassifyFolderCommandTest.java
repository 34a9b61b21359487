package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zeroshot.client.FakeZeroShotService;
import zeroshot.client.InProcessServer;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;

@Timeout(30)
class ClassifyFolderCommandTest {

  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  private final FakeZeroShotService fake = new FakeZeroShotService();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private InProcessServer server;

  @BeforeEach
  void start() throws Exception {
    server = InProcessServer.withThreads(fake);
    // Names out of order and mixed case; a text file and a folder that are not images.
    image("b.png", "png");
    image("a.PNG", "png");
    image("c.jpg", "jpg");
    Files.writeString(dir.resolve("notes.txt"), "not an image");
    Files.createDirectory(dir.resolve("more.png"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  private void image(String name, String format) throws Exception {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 2, 0xff0000);
    assertThat(ImageIO.write(image, format, dir.resolve(name).toFile())).isTrue();
  }

  /** Whether the command is told that stderr is a terminal. */
  private boolean terminal;

  private int run(String... args) {
    ClientFactory factory = settings -> ZeroShotClient.wrap(server.channel(), settings.deadline());
    CommandLine commandLine = ZeroShotCli.commandLine(new ZeroShotCli(factory, () -> terminal));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private List<ClassifyRequest> sent() {
    List<ClassifyRequest> sent = new ArrayList<>();
    fake.requests.forEach(request -> sent.add((ClassifyRequest) request));
    return sent;
  }

  @Test
  void printsTheBestLabelOfEveryImageInFileNameOrder() throws Exception {
    terminal = true;

    int exitCode =
        run("classify-folder", dir.toString(), "--labels", "cat,dog,car", "--template", "a {}");

    assertThat(exitCode).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "a.PNG\tcat\t0.5000" + NL + "b.png\tcat\t0.5000" + NL + "c.jpg\tcat\t0.5000" + NL);
    assertThat(err.toString()).contains("] 3/3 images, ").doesNotContain("error");
    List<ClassifyRequest> sent = sent();
    assertThat(sent).hasSize(3);
    assertThat(sent).allSatisfy(r -> assertThat(r.getPromptTemplate()).isEqualTo("a {}"));
    List<byte[]> bytes = sent.stream().map(r -> r.getImage().getEncoded().toByteArray()).toList();
    assertThat(bytes)
        .containsExactlyInAnyOrder(
            Files.readAllBytes(dir.resolve("a.PNG")),
            Files.readAllBytes(dir.resolve("b.png")),
            Files.readAllBytes(dir.resolve("c.jpg")));
  }

  @Test
  void jsonPrintsOneParseableObjectPerImage() throws Exception {
    int exitCode =
        run("classify-folder", dir.toString(), "--labels", "cat,dog", "--top-k", "1", "--json");

    assertThat(exitCode).isZero();
    String[] lines = out.toString().split(NL);
    assertThat(lines).hasSize(3);
    ClassifyResponse expected = FakeZeroShotService.classifyResponse(sent().get(0));
    List<String> files = new ArrayList<>();
    for (String line : lines) {
      Struct.Builder object = Struct.newBuilder();
      JsonFormat.parser().merge(line, object);
      files.add(object.getFieldsOrThrow("file").getStringValue());
      ClassifyResponse.Builder response = ClassifyResponse.newBuilder();
      JsonFormat.parser()
          .merge(JsonFormat.printer().print(object.getFieldsOrThrow("response")), response);
      assertThat(response.build()).isEqualTo(expected);
      assertThat(response.getScoresCount()).isEqualTo(1);
    }
    assertThat(files).containsExactly("a.PNG", "b.png", "c.jpg");
  }

  @Test
  void failedImageIsPrintedWithItsErrorAndTheExitCodeIs4() throws Exception {
    Files.write(dir.resolve("b.png"), new byte[0]); // the fake rejects empty images
    terminal = true; // --no-progress is obeyed even there

    int exitCode = run("classify-folder", dir.toString(), "--labels", "cat,dog", "--no-progress");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_ITEMS_FAILED).isEqualTo(4);
    assertThat(out.toString())
        .isEqualTo(
            "a.PNG\tcat\t0.6667"
                + NL
                + "b.png\terror: INVALID_ARGUMENT: image.encoded: empty (expected: JPEG, PNG, GIF,"
                + " BMP or WebP bytes)"
                + NL
                + "c.jpg\tcat\t0.6667"
                + NL);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void failedImageInJsonHasTheCodeAndMessage() throws Exception {
    Files.write(dir.resolve("c.jpg"), new byte[0]);

    assertThat(run("classify-folder", dir.toString(), "--labels", "cat", "--json")).isEqualTo(4);

    String last = out.toString().split(NL)[2];
    Struct.Builder object = Struct.newBuilder();
    JsonFormat.parser().merge(last, object);
    Struct error = object.getFieldsOrThrow("error").getStructValue();
    assertThat(error.getFieldsOrThrow("code").getStringValue()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.getFieldsOrThrow("message").getStringValue()).startsWith("image.encoded");
  }

  @Test
  void streamThatOutlivesAGivenDeadlineExitsWith3() {
    fake.holdStreamAnswers();

    terminal = true;

    int exitCode = run("classify-folder", dir.toString(), "--labels", "cat", "--deadline", "50ms");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_RETRY_LATER);
    assertThat(err.toString())
        .isEqualTo(
            "\r"
                + ProgressBar.render(0, 3, 0)
                + NL
                + "error: deadline of 50ms passed before the server answered (DEADLINE_EXCEEDED)"
                + NL);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void onATerminalTheProgressBarEndsOnTheLastCountWrittenOnce() {
    terminal = true;

    int exitCode = run("classify-folder", dir.toString(), "--labels", "cat,dog");

    assertThat(exitCode).isZero();
    String bar = err.toString();
    assertThat(bar).endsWith(" 3/3 images, " + bar.substring(bar.lastIndexOf(", ") + 2));
    assertThat(bar.split("3/3 images", -1)).hasSize(2); // the final count, once
    assertThat(bar).endsWith("/s" + NL).startsWith("\r[");
  }

  @Test
  void withoutATerminalNoProgressBarIsWritten() {
    terminal = false; // e.g. stderr redirected to a file

    int exitCode = run("classify-folder", dir.toString(), "--labels", "cat,dog");

    assertThat(exitCode).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString()).contains("a.PNG").contains("c.jpg");
  }

  @Test
  void aFolderWithoutImagesWarnsAndExitsWith2WithoutCalling() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "not an image");

    int exitCode = run("classify-folder", empty.toString(), "--labels", "cat");

    assertThat(exitCode).isEqualTo(ZeroShotCli.EXIT_BAD_REQUEST).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "warning: "
                + empty
                + ": no images to classify (expected: files ending in bmp, gif, jpeg, jpg, png,"
                + " webp)"
                + NL);
    assertThat(out.toString()).isEmpty();
    assertThat(fake.streams).isEmpty();
  }

  @Test
  void withoutDeadlineTheStreamHasNoneAndWithOneItHasThatOne() {
    assertThat(run("classify-folder", dir.toString(), "--labels", "cat")).isZero();
    assertThat(run("classify-folder", dir.toString(), "--labels", "cat", "--deadline", "10m"))
        .isZero();

    assertThat(fake.streamDeadlines.poll()).isEmpty();
    assertThat(fake.streamDeadlines.poll())
        .hasValueSatisfying(
            d -> assertThat(d.timeRemaining(TimeUnit.SECONDS)).isBetween(500L, 600L));
  }

  @Test
  void folderThatIsNotADirectoryExitsWith2WithoutCalling() {
    Path file = dir.resolve("notes.txt");

    assertThat(run("classify-folder", file.toString(), "--labels", "cat")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: " + file + ": not a directory" + NL);
    assertThat(fake.streams).isEmpty();
  }

  @Test
  void aMissingFolderIsSaidInPlainWords() {
    Path missing = dir.resolve("no-such-folder");

    assertThat(run("classify-folder", missing.toString(), "--labels", "cat")).isEqualTo(2);

    assertThat(err.toString()).isEqualTo("error: " + missing + ": no such folder" + NL);
  }

  @Test
  void maxInFlightBelowOneIsAUsageError() {
    assertThat(run("classify-folder", dir.toString(), "--labels", "cat", "--max-in-flight", "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--max-in-flight: 0 (expected: >= 1)");
    assertThat(fake.streams).isEmpty();
  }
}
