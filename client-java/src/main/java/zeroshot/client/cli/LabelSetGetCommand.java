package zeroshot.client.cli;

import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import zeroshot.v1.GetLabelSetResponse;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;

/** {@code zeroshot label-set get}: prints a label set's definition. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Print a label set: its templates, labels, synonyms and extra prompts.")
final class LabelSetGetCommand extends LabelSetSubcommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the set.")
  String name;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Model of the set (default: the server's).")
  String model;

  @Option(
      names = "--json",
      description = "Print the response as JSON (label-set put --file reads it back).")
  boolean json;

  @Override
  public Integer call() {
    return print(
        client -> {
          GetLabelSetResponse response =
              client.labelSets().get(name, LabelSetCommand.model(model), deadline.value);
          return json ? JsonOutput.toJson(response) + System.lineSeparator() : text(response);
        });
  }

  /** The summary line, the templates line, then one row per label. */
  static String text(GetLabelSetResponse response) {
    LabelSet set = response.getLabelSet();
    String templates =
        set.getPromptTemplatesCount() == 0
            ? "none (labels are encoded as they are)"
            : set.getPromptTemplatesList().stream()
                .map(template -> '"' + template + '"')
                .collect(Collectors.joining(", "));
    Table table = new Table("label", "synonyms", "extra prompts");
    for (LabelSetEntry entry : set.getLabelsList()) {
      table.row(
          entry.getLabel(),
          String.join("; ", entry.getSynonymsList()),
          String.join("; ", entry.getExtraPromptsList()));
    }
    String nl = System.lineSeparator();
    return "label set "
        + LabelSetCommand.describe(response.getInfo())
        + nl
        + "templates: "
        + templates
        + nl
        + table.render();
  }
}
