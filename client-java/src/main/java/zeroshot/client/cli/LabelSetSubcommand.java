package zeroshot.client.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import zeroshot.client.ZeroShotClient;

/**
 * What every {@code zeroshot label-set} subcommand shares: the connection and deadline options, and
 * one call whose answer it prints.
 */
abstract class LabelSetSubcommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Mixin CallDeadline deadline;

  @ParentCommand LabelSetCommand group;

  @Spec CommandSpec spec;

  /**
   * Runs the call and prints {@code output}'s text for its answer (line breaks included): exit 0,
   * or the CLI's code for the call's error.
   */
  int print(Function<ZeroShotClient, String> output) {
    return group.cli.run(
        connection.settings(deadline.value),
        client -> {
          String text = output.apply(client);
          PrintWriter out = spec.commandLine().getOut();
          out.print(text);
          out.flush();
          return ZeroShotCli.EXIT_OK;
        });
  }
}
