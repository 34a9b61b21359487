package zeroshot.server.bench;

import java.util.function.Supplier;
import picocli.CommandLine;

/** The {@code main} of the bench commands. */
final class BenchMain {
  private BenchMain() {}

  /**
   * Runs a picocli command and exits with its code, libtorch set first, as ServerMain sets it, to
   * one intra-op thread per calling thread (process-wide, read once by the engine; so before the
   * command exists).
   */
  static void run(Supplier<Object> command, String[] args) {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    System.exit(new CommandLine(command.get()).execute(args));
  }
}
