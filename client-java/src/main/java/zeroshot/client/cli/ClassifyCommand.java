package zeroshot.client.cli;

import com.google.protobuf.ByteString;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.Image;
import zeroshot.v1.LabelScore;

/** {@code zeroshot classify}: scores an image or a text against labels. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Score an image or a text against candidate labels.")
final class ClassifyCommand implements Callable<Integer> {

  static final class Input {
    @Option(
        names = "--image",
        paramLabel = "FILE",
        required = true,
        description = "Image file: JPEG, PNG, GIF, BMP or WebP.")
    Path image;

    @Option(names = "--text", paramLabel = "TEXT", required = true, description = "Text.")
    String text;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Mixin LabelOptions labelOptions;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "0",
      description = "Print only the K best labels (default: 0 = all).")
  int topK;

  @Option(names = "--json", description = "Print the response as JSON.")
  boolean json;

  @Mixin ConnectionOptions connection;

  @Mixin CallDeadline deadline;

  @ParentCommand ZeroShotCli cli;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return cli.run(connection.settings(deadline.value), this::classify);
  }

  private int classify(ZeroShotClient client) {
    ClassifyRequest.Builder request = labelOptions.newRequest(topK);
    if (input.image != null) {
      ByteString bytes = ByteString.copyFrom(InputFiles.read(input.image));
      request.setImage(Image.newBuilder().setEncoded(bytes));
    } else {
      request.setText(input.text);
    }
    ClassifyResponse response = client.classify(request.build(), deadline.value);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? JsonOutput.toJson(response) + System.lineSeparator() : table(response));
    out.flush();
    if (!json) {
      // On stderr, so that the table stays the only thing on stdout.
      PrintWriter err = spec.commandLine().getErr();
      response.getWarningsList().forEach(w -> err.println("warning: " + w));
      err.flush();
    }
    return ZeroShotCli.EXIT_OK;
  }

  static String table(ClassifyResponse response) {
    Table table = new Table(">rank", "label", ">probability", ">cosine");
    int rank = 1;
    for (LabelScore score : response.getScoresList()) {
      table.row(
          rank++,
          score.getLabel(),
          String.format(Locale.ROOT, "%.2f%%", score.getProbability() * 100),
          String.format(Locale.ROOT, "%.4f", score.getCosine()));
    }
    String noMatch =
        response.getNoMatch() ? "no label reached --min-score" + System.lineSeparator() : "";
    return (response.getScoresCount() > 0 ? table.render() : "")
        + noMatch
        + String.format(
            Locale.ROOT,
            "model: %s (version %s)%n",
            response.getModel(),
            response.getModelVersion());
  }
}
