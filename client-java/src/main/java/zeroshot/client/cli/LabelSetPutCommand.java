package zeroshot.client.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.PutLabelSetResponse;

/** {@code zeroshot label-set put}: creates or replaces a label set. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Create a label set, or replace the one of the same name and model; the server encodes its"
          + " prompts before it answers.",
      "With --file, synonyms and extra prompts per label too: the file holds a LabelSet in JSON,"
          + " e.g. {\"labels\": [{\"label\": \"cat\", \"synonyms\": [\"kitten\"],"
          + " \"extraPrompts\": [\"a close-up photo of a tabby cat\"]}], \"promptTemplates\":"
          + " [\"a photo of a {}.\"]}, or what label-set get --json prints. NAME and --model"
          + " replace the file's name and model."
    })
final class LabelSetPutCommand extends LabelSetSubcommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the set.")
  String name;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Exactly one of --labels and --file. */
  static final class Source {
    @Option(
        names = "--labels",
        paramLabel = "LABEL",
        split = ",",
        description =
            "The labels, comma-separated, e.g. cat,dog or \"red star, blue square\" (white space"
                + " around each label is removed).")
    List<String> labels;

    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "The set as JSON (see above) instead of --labels and --template.")
    Path file;
  }

  @Option(
      names = "--template",
      paramLabel = "TEMPLATE",
      description =
          "A prompt template with one {} for the label, e.g. \"a photo of a {}.\"; repeat for an"
              + " ensemble (with --labels; default: none, labels are encoded as they are).")
  List<String> templates = List.of();

  @Option(names = "--model", paramLabel = "NAME", description = "Model (default: the server's).")
  String model;

  @Option(names = "--json", description = "Print the response as JSON.")
  boolean json;

  @Override
  public Integer call() {
    // Usage errors before connecting; a file is read inside run(), which reports it unreadable.
    if (source.file != null && !templates.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--template: not with --file (expected: the file's promptTemplates)");
    }
    LabelSet.Builder inline = source.file == null ? fromOptions() : null;
    return print(
        client -> {
          LabelSet.Builder set = inline != null ? inline : read(source.file);
          LabelSet labelSet = set.setName(name).setModel(LabelSetCommand.model(model)).build();
          PutLabelSetResponse response = client.labelSets().put(labelSet, deadline.value);
          return (json
                  ? JsonOutput.toJson(response)
                  : (response.getReplaced() ? "replaced" : "created")
                      + " label set "
                      + LabelSetCommand.describe(response.getInfo()))
              + System.lineSeparator();
        });
  }

  private LabelSet.Builder fromOptions() {
    LabelSet.Builder set = LabelSet.newBuilder().addAllPromptTemplates(templates);
    for (String label : LabelOptions.trimmed(spec, source.labels)) {
      set.addLabels(LabelSetEntry.newBuilder().setLabel(label));
    }
    return set;
  }

  /** Reads a LabelSet, or the label set of a GetLabelSetResponse, in proto3 JSON. */
  private static LabelSet.Builder read(Path file) {
    String text = new String(InputFiles.read(file), StandardCharsets.UTF_8);
    LabelSet.Builder set = LabelSet.newBuilder();
    try {
      JsonElement json = JsonParser.parseString(text);
      if (json.isJsonObject() && json.getAsJsonObject().has("labelSet")) {
        // The output of label-set get --json: its "info" is what the server holds, not the set.
        json = json.getAsJsonObject().get("labelSet");
      }
      JsonFormat.parser().merge(json.toString(), set);
    } catch (JsonParseException | InvalidProtocolBufferException e) {
      throw new CliException(
          ZeroShotCli.EXIT_BAD_REQUEST,
          "cannot read " + file + ": " + e.getMessage() + " (expected: a LabelSet in JSON)");
    }
    return set;
  }
}
