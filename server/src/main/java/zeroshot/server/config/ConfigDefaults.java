package zeroshot.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import zeroshot.server.messages.NearestKey;

/**
 * Option values that were not given as flags: from the environment ({@code ZEROSHOT_MAX_LABELS} for
 * {@code --max-labels}), else from the {@code --config} properties file ({@code max-labels=...}),
 * else the option's built-in default.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
  private static final String MODEL_KEY = "model\\.[A-Za-z0-9._-]+\\.[a-z][a-z-]*";

  /** Options that make no sense in the file: it cannot name itself, nor ask for help. */
  private static final Set<String> NOT_IN_FILE = Set.of("config", "help", "version");

  private final Map<String, String> env;
  private final Properties file;

  private ConfigDefaults(Map<String, String> env, Properties file) {
    this.env = env;
    this.file = file;
  }

  /**
   * Reads the config file named by {@code --config FILE} / {@code --config=FILE} in {@code args} or
   * by {@code ZEROSHOT_CONFIG}, if any, and refuses keys that are not options of {@code command}
   * (or per-model options, {@link ModelOption}): a typo would otherwise be ignored without a word.
   */
  public static ConfigDefaults load(String[] args, Map<String, String> env, CommandSpec command)
      throws IOException {
    String path = env.get("ZEROSHOT_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        path = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        path = args[i].substring("--config=".length());
      }
    }
    Properties properties = new Properties();
    if (path != null) {
      Path file = Path.of(path);
      if (!Files.isRegularFile(file)) {
        throw new IOException("--config: " + path + " (expected: an existing properties file)");
      }
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      }
      Set<String> options = optionKeys(command);
      for (String key : new TreeSet<>(properties.stringPropertyNames())) {
        checkKey(path, key, options);
      }
    }
    return new ConfigDefaults(env, properties);
  }

  private static Set<String> optionKeys(CommandSpec command) {
    Set<String> keys = new TreeSet<>();
    for (OptionSpec option : command.options()) {
      String key = option.longestName().substring(2);
      if (!NOT_IN_FILE.contains(key)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static void checkKey(String path, String key, Set<String> options) throws IOException {
    if (key.startsWith("model.")) {
      List<String> known = ModelOption.names();
      String option = key.substring(key.lastIndexOf('.') + 1);
      if (!key.matches(MODEL_KEY) || !known.contains(option)) {
        throw new IOException(
            path
                + ": unknown key '"
                + key
                + "' (nearest known option: "
                + NearestKey.of(option, known)
                + "; expected: model.NAME.OPTION, OPTION one of "
                + String.join(", ", known)
                + ")");
      }
    } else if (!options.contains(key)) {
      throw new IOException(
          path
              + ": unknown key '"
              + key
              + "' (nearest known key: "
              + NearestKey.of(key, options)
              + "; expected: an option name without dashes, or model.NAME.OPTION)");
    }
  }

  /** The file's per-model entries ({@code model.NAME.OPTION=value}): option → value, by model. */
  public Map<String, Map<String, String>> perModel() {
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (String key : file.stringPropertyNames()) {
      if (key.matches(MODEL_KEY)) {
        int dot = key.lastIndexOf('.');
        out.computeIfAbsent(key.substring(6, dot), k -> new TreeMap<>())
            .put(key.substring(dot + 1), file.getProperty(key));
      }
    }
    return out;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.longestName().equals("--config")) {
      return null;
    }
    String key = option.longestName().substring(2);
    String fromEnv = env.get("ZEROSHOT_" + key.replace('-', '_').toUpperCase(Locale.ROOT));
    return fromEnv != null ? fromEnv : file.getProperty(key);
  }
}
