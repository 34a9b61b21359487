package zeroshot.server.config;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import zeroshot.server.messages.NearestKey;

/**
 * Values of {@link ModelOption}s as configured, for every model (flags, environment, config file)
 * or for one ({@code model.NAME.OPTION} in the config file). An option that is not set here falls
 * back to another layer ({@link #overriddenBy}) and in the end to its default for the device.
 */
public final class ModelSettings {

  /** Nothing set: every option falls back. */
  public static final ModelSettings NONE = new ModelSettings(Map.of());

  private final Map<ModelOption<?>, Object> values;

  private ModelSettings(Map<ModelOption<?>, Object> values) {
    this.values = Map.copyOf(values);
  }

  /** These settings with {@code option} set to {@code value}; a null value leaves it unset. */
  public <T> ModelSettings with(ModelOption<T> option, T value) {
    requireNonNull(option, "option");
    Map<ModelOption<?>, Object> copy = new HashMap<>(values);
    if (value == null) {
      copy.remove(option);
    } else {
      copy.put(option, value);
    }
    return new ModelSettings(copy);
  }

  /** The value set for {@code option}, if any. */
  @SuppressWarnings("unchecked") // with() only ever stores a T under a ModelOption<T>
  public <T> Optional<T> get(ModelOption<T> option) {
    return Optional.ofNullable((T) values.get(option));
  }

  /** The value set for {@code option}, else its default on this device (null if it has none). */
  public <T> T resolve(ModelOption<T> option, boolean gpu, int cores) {
    return get(option).orElseGet(() -> option.defaultFor(gpu, cores));
  }

  /** These settings, with the values {@code override} sets replacing ours. */
  public ModelSettings overriddenBy(ModelSettings override) {
    Map<ModelOption<?>, Object> merged = new HashMap<>(values);
    merged.putAll(override.values);
    return new ModelSettings(merged);
  }

  /**
   * Reads one model's settings from config-file entries (option name → text).
   *
   * @throws IllegalArgumentException naming the entry ({@code model.NAME.OPTION}) for an unknown
   *     option or a bad value
   */
  public static ModelSettings parse(String model, Map<String, String> entries) {
    ModelSettings settings = NONE;
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String key = "model." + model + "." + e.getKey();
      ModelOption<?> option =
          ModelOption.ALL.stream()
              .filter(o -> o.name().equals(e.getKey()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          key
                              + ": unknown (nearest known option: "
                              + NearestKey.of(e.getKey(), ModelOption.names())
                              + "; expected one of "
                              + String.join(", ", ModelOption.names())
                              + ")"));
      settings = settings.parsed(option, key, e.getValue());
    }
    return settings;
  }

  private <T> ModelSettings parsed(ModelOption<T> option, String key, String text) {
    try {
      return with(option, option.parse(text));
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException(
          key + ": '" + text.trim() + "' (" + ex.getMessage() + ")", ex);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSettings other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
