package zeroshot.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import zeroshot.server.batching.BatchWait;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;

/** Each per-model option is defined once; flags, keys, help and defaults come from it. */
class ModelOptionTest {

  @Test
  void everyOptionIsAFlagWithItsDefaultsInTheHelp() {
    CommandLine cli = new CommandLine(new ServerCommand());

    for (ModelOption<?> option : ModelOption.ALL) {
      OptionSpec flag = cli.getCommandSpec().findOption(option.flag());
      assertThat(flag).as(option.name()).isNotNull();
      assertThat(String.join(" ", flag.description())).isEqualTo(option.description());
    }
    StringWriter help = new StringWriter();
    cli.usage(new PrintWriter(help, true));
    assertThat(help.toString().replaceAll("\\s+", " "))
        .contains("--max-batch-size=ITEMS")
        .contains("Default: 8 on CPU, 64 on GPU")
        .contains("Default: 2ms on CPU, 5ms on GPU")
        .contains("Default: none")
        .contains("Default: 4096")
        .contains("Default: one per core, 2 on GPU")
        .contains("Default: announced");
  }

  @Test
  void theEnvironmentSetsAnOptionForEveryModelAndAFlagBeatsIt() throws Exception {
    Map<String, String> env =
        Map.of("ZEROSHOT_MAX_BATCH_SIZE", "3", "ZEROSHOT_PREFERRED_BATCH_SIZES", "1,3");

    ServerConfig fromEnv = parse(env);
    ServerConfig flag = parse(env, "--max-batch-size", "5", "--preferred-batch-sizes", "5");

    assertThat(fromEnv.batchingFor("m", true, 1).maxBatchSize()).isEqualTo(3);
    assertThat(fromEnv.batchingFor("m", true, 1).preferredBatchSizes()).containsExactly(1, 3);
    assertThat(flag.batchingFor("m", true, 1).maxBatchSize()).isEqualTo(5);
    assertThat(flag.batchingFor("m", true, 1).preferredBatchSizes()).containsExactly(5);
  }

  @Test
  void defaultsDependOnTheDeviceAndForWorkersOnTheCores() {
    assertThat(ModelOption.MAX_BATCH_SIZE.defaultFor(false, 4))
        .isEqualTo(BatchingPolicy.CPU_MAX_BATCH_SIZE);
    assertThat(ModelOption.MAX_BATCH_SIZE.defaultFor(true, 4))
        .isEqualTo(BatchingPolicy.GPU_MAX_BATCH_SIZE);
    assertThat(ModelOption.MAX_QUEUE_DELAY.defaultFor(true, 4))
        .isEqualTo(BatchingPolicy.GPU_MAX_QUEUE_DELAY);
    assertThat(ModelOption.BATCH_WORKERS.defaultFor(false, 6)).isEqualTo(6);
    assertThat(ModelOption.BATCH_WORKERS.defaultFor(true, 6)).isEqualTo(2);
    assertThat(ModelOption.MAX_QUEUE_ITEMS.defaultFor(true, 6))
        .isEqualTo(QueuePolicy.DEFAULT_MAX_QUEUE_ITEMS);
  }

  @Test
  void perModelEntriesAreParsedByTheirOption() {
    ModelSettings s =
        ModelSettings.parse(
            "m",
            Map.of(
                "max-queue-delay", "3ms",
                "preferred-batch-sizes", "2, 4",
                "batch-wait", "always",
                "max-queue-items", " 9 "));

    assertThat(s.get(ModelOption.MAX_QUEUE_DELAY)).contains(Duration.ofMillis(3));
    assertThat(s.get(ModelOption.PREFERRED_BATCH_SIZES)).contains(List.of(2, 4));
    assertThat(s.get(ModelOption.BATCH_WAIT)).contains(BatchWait.ALWAYS);
    assertThat(s.get(ModelOption.MAX_QUEUE_ITEMS)).contains(9);
    assertThat(s.get(ModelOption.MAX_BATCH_SIZE)).isEmpty();
    assertThatThrownBy(() -> ModelSettings.parse("m", Map.of("max-batch-size", "many")))
        .hasMessage("model.m.max-batch-size: 'many' (For input string: \"many\")");
    assertThatThrownBy(() -> ModelSettings.parse("m", Map.of("max-batch-sise", "4")))
        .hasMessageStartingWith(
            "model.m.max-batch-sise: unknown (nearest known option: max-batch-size; expected one"
                + " of max-batch-size, max-queue-delay,");
  }

  @Test
  void theQueueBoundIsItsOwnPolicyResolvedLikeTheBatchingOptions() {
    ModelSettings all = ModelSettings.NONE.with(ModelOption.MAX_QUEUE_ITEMS, 10);
    ModelSettings one = ModelSettings.NONE.with(ModelOption.MAX_QUEUE_ITEMS, 20);

    ModelSettings merged = all.overriddenBy(one);

    assertThat(merged.resolve(ModelOption.MAX_QUEUE_ITEMS, false, 1)).isEqualTo(20);
    assertThat(all.overriddenBy(ModelSettings.NONE).resolve(ModelOption.MAX_QUEUE_ITEMS, true, 1))
        .isEqualTo(10);
    assertThatThrownBy(() -> new QueuePolicy(0)).hasMessage("maxQueueItems: 0 (expected: > 0)");
  }

  private static ServerConfig parse(Map<String, String> env, String... args) throws Exception {
    ServerCommand command = new ServerCommand();
    CommandLine cli = new CommandLine(command);
    ConfigDefaults defaults = ConfigDefaults.load(args, env, cli.getCommandSpec());
    cli.setDefaultValueProvider(defaults);
    cli.parseArgs(args);
    return command.toConfig(defaults.perModel());
  }
}
