package zeroshot.client.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zeroshot label-set delete}: deletes a label set. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Delete a label set (and its file, when the server persists sets).")
final class LabelSetDeleteCommand extends LabelSetSubcommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the set.")
  String name;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Model of the set (default: the server's).")
  String model;

  @Override
  public Integer call() {
    return print(
        client -> {
          client.labelSets().delete(name, LabelSetCommand.model(model), deadline.value);
          return "deleted label set "
              + name
              + (model == null ? " for the default model" : " for model " + model)
              + System.lineSeparator();
        });
  }
}
