package zeroshot.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import zeroshot.server.config.ConfigDefaults;
import zeroshot.server.config.ServerCommand;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.messages.NearestKey;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.torchscript.TorchScriptRuntime;

/**
 * Entry point: reads the configuration (flags, {@code ZEROSHOT_*} environment, {@code --config}
 * file), starts the server, loads the models and serves until SIGTERM or SIGINT, then shuts down
 * gracefully. Exit codes: 0 after a clean shutdown, 1 if a model or a stored label set fails to
 * load (or the port cannot be bound), 2 for a bad configuration.
 */
public final class ServerMain {
  private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Parsed parsed = parse(args);
    if (parsed == null) {
      return;
    }
    ServerConfig config = parsed.config();
    // One intra-op thread per inference thread (process-wide; read once by the engine).
    System.setProperty(
        "ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
    System.setProperty(
        "ai.djl.pytorch.num_interop_threads",
        System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));

    ZeroShotServer server =
        new ZeroShotServer(config, new TorchScriptRuntime(parsed.logRequestText()));
    try {
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "shutdown"));
      server.loadModels();
    } catch (InvalidModelException | IOException | IllegalArgumentException e) {
      log.error("cannot start: {}", e.getMessage());
      stop(server);
      System.exit(e instanceof IllegalArgumentException ? 2 : 1);
    }
    server.awaitTermination();
  }

  /**
   * What the command line says: the server's configuration, and whether logs may quote request text
   * (which the model runtime, not the server, acts on).
   */
  record Parsed(ServerConfig config, boolean logRequestText) {}

  /** The command line, or null after printing help or the version; a usage error exits with 2. */
  static Parsed parse(String[] args) {
    ServerCommand command = new ServerCommand();
    CommandLine cli = new CommandLine(command);
    try {
      ConfigDefaults defaults = ConfigDefaults.load(args, System.getenv(), cli.getCommandSpec());
      cli.setDefaultValueProvider(defaults);
      cli.parseArgs(args);
      if (cli.isUsageHelpRequested()) {
        cli.usage(System.out);
        return null;
      }
      if (cli.isVersionHelpRequested()) {
        cli.printVersionHelp(System.out);
        return null;
      }
      return new Parsed(command.toConfig(defaults.perModel()), command.logRequestText);
    } catch (ParameterException | IllegalArgumentException | IOException e) {
      System.err.println("zeroshot-server: " + usageError(e, cli.getCommandSpec()));
      System.err.println("Try 'zeroshot-server --help'.");
      System.exit(2);
      return null;
    }
  }

  /**
   * The message of a usage error; for an option the server does not have, with the nearest one it
   * has ({@code --prot} → {@code --port}), as the config file and the client already say.
   */
  static String usageError(Exception e, CommandSpec spec) {
    if (!(e instanceof UnmatchedArgumentException unmatched)) {
      return e.getMessage();
    }
    List<String> names = new ArrayList<>();
    spec.options().forEach(o -> names.addAll(List.of(o.names())));
    List<String> unknown =
        unmatched.getUnmatched().stream().filter(a -> a.startsWith("-")).toList();
    if (unknown.isEmpty()) {
      return e.getMessage();
    }
    String option = unknown.get(0).split("=", 2)[0];
    return "unknown option '"
        + option
        + "' (nearest known option: "
        + NearestKey.of(option, names)
        + ")";
  }

  private static void stop(ZeroShotServer server) {
    try {
      server.shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
