package zeroshot.server.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;
import zeroshot.cli.DurationConverter;
import zeroshot.server.batching.BatchWait;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.model.image.PreprocessMode;

/**
 * An option that can be set for every model or for one, defined once. Its name is the flag ({@code
 * --max-batch-size}), the environment variable ({@code ZEROSHOT_MAX_BATCH_SIZE}), the config-file
 * key for every model ({@code max-batch-size=16}) and for one ({@code
 * model.tiny-clip.max-batch-size=16}); its help and defaults make the flag's help text.
 *
 * <p>To add an option, add a constant here and to {@link #ALL}, then read it where it applies
 * ({@link ServerConfig#batchingFor}, say): flags, keys, help and the check of config-file keys
 * follow.
 *
 * @param <T> the type of the option's values
 */
public final class ModelOption<T> {

  public static final ModelOption<Integer> MAX_BATCH_SIZE =
      integer(
          "max-batch-size",
          "ITEMS",
          DeviceDefault.perDevice(
              BatchingPolicy.CPU_MAX_BATCH_SIZE, BatchingPolicy.GPU_MAX_BATCH_SIZE),
          "Most items per model call, per encoder; 1 turns batching off.");

  public static final ModelOption<Duration> MAX_QUEUE_DELAY =
      new ModelOption<>(
          "max-queue-delay",
          "DURATION",
          DeviceDefault.perDevice(
              BatchingPolicy.CPU_MAX_QUEUE_DELAY, BatchingPolicy.GPU_MAX_QUEUE_DELAY),
          "Longest wait of the oldest queued item for a batch to fill.",
          new DurationConverter()::convert,
          b -> b.type(Duration.class).converters(new DurationConverter()));

  public static final ModelOption<List<Integer>> PREFERRED_BATCH_SIZES =
      new ModelOption<>(
          "preferred-batch-sizes",
          "ITEMS",
          DeviceDefault.always(List.of()),
          "Batch sizes run without waiting for the delay.",
          ModelOption::parseInts,
          b -> b.type(List.class).auxiliaryTypes(Integer.class).splitRegex(","));

  public static final ModelOption<Integer> MAX_QUEUE_ITEMS =
      integer(
          "max-queue-items",
          "ITEMS",
          DeviceDefault.always(QueuePolicy.DEFAULT_MAX_QUEUE_ITEMS),
          "Items waiting per encoder before RESOURCE_EXHAUSTED.");

  public static final ModelOption<Integer> BATCH_WORKERS =
      integer(
          "batch-workers",
          "THREADS",
          DeviceDefault.onePerCore(BatchingPolicy.GPU_WORKERS),
          "Threads calling the model, per encoder.");

  public static final ModelOption<BatchWait> BATCH_WAIT =
      choice(
          "batch-wait",
          "announced|always",
          BatchWait.class,
          BatchWait::parse,
          DeviceDefault.always(BatchingPolicy.DEFAULT_WAIT),
          "When a batch that is not full waits (up to --max-queue-delay) for more items:"
              + " announced (only while decoded images are on their way; a lone caller does not"
              + " wait) or always (Triton's behaviour).");

  /**
   * Per model, this beats the flag, which beats the model's own {@code model.json}
   * (image.preprocess_mode).
   */
  public static final ModelOption<PreprocessMode> PREPROCESS_MODE =
      choice(
          "preprocess-mode",
          "exact|fast",
          PreprocessMode.class,
          PreprocessMode::parse,
          DeviceDefault.none("each model.json's image.preprocess_mode, itself exact by default"),
          "Image preprocessing: exact (tensors equal Pillow's) or fast (JPEGs decoded by"
              + " libjpeg-turbo, at 1/2, 1/4 or 1/8 size by DCT scaling when large enough; a few"
              + " levels from exact; needs libturbojpeg0).");

  /** Every option, in the order of the help. */
  public static final List<ModelOption<?>> ALL =
      List.of(
          MAX_BATCH_SIZE,
          MAX_QUEUE_DELAY,
          PREFERRED_BATCH_SIZES,
          MAX_QUEUE_ITEMS,
          BATCH_WORKERS,
          BATCH_WAIT,
          PREPROCESS_MODE);

  private final String name;
  private final String unit;
  private final DeviceDefault<T> defaults;
  private final String help;
  private final Function<String, T> parser;
  private final UnaryOperator<OptionSpec.Builder> typed;

  private ModelOption(
      String name,
      String unit,
      DeviceDefault<T> defaults,
      String help,
      Function<String, T> parser,
      UnaryOperator<OptionSpec.Builder> typed) {
    this.name = requireNonNull(name, "name");
    this.unit = requireNonNull(unit, "unit");
    this.defaults = requireNonNull(defaults, "defaults");
    this.help = requireNonNull(help, "help");
    this.parser = requireNonNull(parser, "parser");
    this.typed = requireNonNull(typed, "typed");
  }

  /** An integer option; flags are converted by picocli, whose messages users already know. */
  private static ModelOption<Integer> integer(
      String name, String unit, DeviceDefault<Integer> defaults, String help) {
    return new ModelOption<>(
        name, unit, defaults, help, Integer::parseInt, b -> b.type(Integer.class));
  }

  /** An option with named values; {@code parse} throws IllegalArgumentException for others. */
  private static <E> ModelOption<E> choice(
      String name,
      String unit,
      Class<E> type,
      Function<String, E> parse,
      DeviceDefault<E> defaults,
      String help) {
    ITypeConverter<E> converter =
        text -> {
          try {
            return parse.apply(text);
          } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
          }
        };
    return new ModelOption<>(
        name, unit, defaults, help, parse, b -> b.type(type).converters(converter));
  }

  /** The option's name: the flag without dashes, and the last part of a per-model key. */
  public String name() {
    return name;
  }

  public String flag() {
    return "--" + name;
  }

  /** The value a config-file entry gives; throws IllegalArgumentException for a bad one. */
  public T parse(String text) {
    return parser.apply(text.trim());
  }

  /** The value when nobody set one; null where the option has none (the model decides). */
  public T defaultFor(boolean gpu, int cores) {
    return gpu ? defaults.gpu() : defaults.cpu().apply(cores);
  }

  /** The flag's help: what the option does, then its defaults. */
  public String description() {
    return help + " Default: " + defaults.text();
  }

  /** The flag, for picocli. */
  OptionSpec toOptionSpec() {
    return typed
        .apply(OptionSpec.builder(flag()).paramLabel(unit).description(description()))
        .build();
  }

  /** The value the flag, environment or config file gave {@code command}; null if none did. */
  @SuppressWarnings("unchecked")
  T valueIn(CommandSpec command) {
    return (T) command.findOption(flag()).getValue();
  }

  @Override
  public String toString() {
    return name;
  }

  /** The names of {@link #ALL}. */
  public static List<String> names() {
    return ALL.stream().map(ModelOption::name).toList();
  }

  private static List<Integer> parseInts(String v) {
    return v.isEmpty()
        ? List.of()
        : Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  /** Adds a flag for every option to the command picocli builds from {@link ServerCommand}. */
  public static final class Flags implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec command) {
      for (ModelOption<?> option : ALL) {
        command.addOption(option.toOptionSpec());
      }
      return command;
    }
  }

  /**
   * An option's default on CPU (which may scale with the cores) and on GPU, and how the help says
   * it.
   */
  record DeviceDefault<T>(IntFunction<T> cpu, T gpu, String text) {

    static <T> DeviceDefault<T> always(T value) {
      return new DeviceDefault<>(cores -> value, value, format(value));
    }

    static <T> DeviceDefault<T> perDevice(T cpu, T gpu) {
      return new DeviceDefault<>(
          cores -> cpu, gpu, format(cpu) + " on CPU, " + format(gpu) + " on GPU");
    }

    static DeviceDefault<Integer> onePerCore(int gpu) {
      return new DeviceDefault<>(
          cores -> Math.max(1, cores), gpu, "one per core, " + gpu + " on GPU");
    }

    /** No default value: the text says who decides. */
    static <T> DeviceDefault<T> none(String text) {
      return new DeviceDefault<>(cores -> null, null, text);
    }

    private static String format(Object value) {
      if (value instanceof Duration d) {
        return d.toMillis() + "ms";
      }
      if (value instanceof List<?> list && list.isEmpty()) {
        return "none";
      }
      return String.valueOf(value);
    }
  }
}
