package zeroshot.client.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code zeroshot label-set delete}: deletes a label set. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Delete a label set (and its file, when the server persists sets).")
final class LabelSetDeleteCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the set.")
  String name;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Model of the set (default: the server's).")
  String model;

  @Mixin ConnectionOptions connection;

  @Mixin CallDeadline deadline;

  @ParentCommand LabelSetCommand group;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return group.print(
        spec,
        connection,
        deadline,
        client -> {
          client.labelSets().delete(name, LabelSetCommand.model(model), deadline.value);
          return "deleted label set "
              + name
              + (model == null ? " for the default model" : " for model " + model)
              + System.lineSeparator();
        });
  }
}
