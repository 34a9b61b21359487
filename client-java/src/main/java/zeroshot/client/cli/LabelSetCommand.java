package zeroshot.client.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import zeroshot.v1.LabelSetInfo;

/** {@code zeroshot label-set}: the group of the label-set commands (put, get, list, delete). */
@Command(
    name = "label-set",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Create, show, list and delete the server's named label sets, which classify"
            + " --label-set uses instead of --labels.",
    subcommands = {
      LabelSetPutCommand.class,
      LabelSetGetCommand.class,
      LabelSetListCommand.class,
      LabelSetDeleteCommand.class
    })
final class LabelSetCommand implements Callable<Integer> {

  @ParentCommand ZeroShotCli cli;

  @Spec CommandSpec spec;

  /** Without a subcommand: prints the usage and fails as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ZeroShotCli.EXIT_BAD_REQUEST;
  }

  /** Returns e.g. {@code pets for model tiny-clip (version 1): 3 labels, 6 prompts}. */
  static String describe(LabelSetInfo info) {
    return info.getName()
        + " for model "
        + info.getModel()
        + " (version "
        + info.getModelVersion()
        + "): "
        + count(info.getLabelCount(), "label")
        + ", "
        + count(info.getPromptCount(), "prompt");
  }

  /** The model a command names, for a request: "" (the server's default) when none is given. */
  static String model(String option) {
    return option == null ? "" : option;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
