package zeroshot.client.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import zeroshot.v1.DeleteLabelSetResponse;

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
          DeleteLabelSetResponse response =
              client.labelSets().delete(name, LabelSetCommand.model(model), deadline.value);
          // An older server does not say which model; the default one was meant then.
          String forModel =
              !response.getModel().isEmpty()
                  ? " for model " + response.getModel()
                  : model != null ? " for model " + model : " for the default model";
          return "deleted label set " + name + forModel + System.lineSeparator();
        });
  }
}
