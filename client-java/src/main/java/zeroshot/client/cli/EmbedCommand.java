package zeroshot.client.cli;

import com.google.protobuf.ByteString;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedImagesResponse;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.EmbedTextsResponse;
import zeroshot.v1.Embedding;
import zeroshot.v1.Image;

/** {@code zeroshot embed}: encodes images or texts into embeddings. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Encode images or texts into embeddings.")
final class EmbedCommand implements Callable<Integer> {

  /** How many values of each vector the summary shows. */
  static final int PREVIEW_VALUES = 8;

  static final class Inputs {
    @Option(
        names = "--image",
        paramLabel = "FILE",
        required = true,
        description = "Image file; repeat for more.")
    List<Path> images;

    @Option(names = "--text", paramLabel = "TEXT", required = true, description = "Text; repeat.")
    List<String> texts;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Inputs inputs;

  @Option(names = "--model", paramLabel = "NAME", description = "Model (default: the server's).")
  String model;

  @Option(names = "--json", description = "Print the response as JSON, with every value.")
  boolean json;

  @Mixin ConnectionOptions connection;

  @Mixin CallDeadline deadline;

  @ParentCommand ZeroShotCli cli;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return cli.run(connection.settings(deadline.value), this::embed);
  }

  private int embed(ZeroShotClient client) {
    String output = inputs.images != null ? embedImages(client) : embedTexts(client);
    PrintWriter out = spec.commandLine().getOut();
    out.println(output);
    out.flush();
    return ZeroShotCli.EXIT_OK;
  }

  private String embedImages(ZeroShotClient client) {
    EmbedImagesRequest.Builder request = EmbedImagesRequest.newBuilder();
    for (Path image : inputs.images) {
      ByteString bytes = ByteString.copyFrom(InputFiles.read(image));
      request.addImages(Image.newBuilder().setEncoded(bytes));
    }
    EmbedImagesResponse response =
        client.embedImages(request.setModel(modelName()).build(), deadline.value);
    if (json) {
      return JsonOutput.toJson(response);
    }
    List<String> names = inputs.images.stream().map(Path::toString).toList();
    return summary(
        response.getModel(),
        response.getModelVersion(),
        response.getDimension(),
        names,
        response.getEmbeddingsList());
  }

  private String embedTexts(ZeroShotClient client) {
    EmbedTextsRequest request =
        EmbedTextsRequest.newBuilder().setModel(modelName()).addAllTexts(inputs.texts).build();
    EmbedTextsResponse response = client.embedTexts(request, deadline.value);
    if (json) {
      return JsonOutput.toJson(response);
    }
    List<String> names = inputs.texts.stream().map(text -> '"' + text + '"').toList();
    return summary(
        response.getModel(),
        response.getModelVersion(),
        response.getDimension(),
        names,
        response.getEmbeddingsList());
  }

  private String modelName() {
    return model == null ? "" : model;
  }

  /** Returns the model line, the dimension line and one line per vector with its first values. */
  static String summary(
      String model, String version, int dimension, List<String> names, List<Embedding> vectors) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "model: %s (version %s)", model, version));
    lines.add("dimension: " + dimension);
    for (int i = 0; i < vectors.size(); i++) {
      List<Float> values = vectors.get(i).getValuesList();
      String preview =
          values.stream()
              .limit(PREVIEW_VALUES)
              .map(value -> String.format(Locale.ROOT, "%.4f", value))
              .collect(Collectors.joining(", "));
      String more = values.size() > PREVIEW_VALUES ? ", ..." : "";
      String name = i < names.size() ? names.get(i) : "#" + i;
      lines.add(name + ": [" + preview + more + "]");
    }
    return String.join(System.lineSeparator(), lines);
  }
}
