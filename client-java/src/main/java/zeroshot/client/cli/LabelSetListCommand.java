package zeroshot.client.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zeroshot.v1.LabelSetInfo;
import zeroshot.v1.ListLabelSetsResponse;

/** {@code zeroshot label-set list}: lists the server's label sets. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "List the label sets, by model then name.")
final class LabelSetListCommand extends LabelSetSubcommand {

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Only this model's sets (default: every model's).")
  String model;

  @Option(names = "--json", description = "Print the response as JSON.")
  boolean json;

  @Override
  public Integer call() {
    return print(
        client -> {
          ListLabelSetsResponse response =
              client.labelSets().list(LabelSetCommand.model(model), deadline.value);
          return json ? JsonOutput.toJson(response) + System.lineSeparator() : text(response);
        });
  }

  /** A table of the sets, or a line saying there are none. */
  String text(ListLabelSetsResponse response) {
    if (response.getLabelSetsCount() == 0) {
      return "no label sets"
          + (model == null ? "" : " for model " + model)
          + System.lineSeparator();
    }
    Table table = new Table("model", "name", "version", ">labels", ">prompts");
    for (LabelSetInfo info : response.getLabelSetsList()) {
      table.row(
          info.getModel(),
          info.getName(),
          info.getModelVersion(),
          info.getLabelCount(),
          info.getPromptCount());
    }
    return table.render();
  }
}
