package zeroshot.client.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** A duration as {@link DurationConverter} reads it, or {@code 0} (also {@code 0s}) for none. */
final class OptionalDurationConverter implements ITypeConverter<Duration> {

  private final DurationConverter positive = new DurationConverter();

  @Override
  public Duration convert(String value) {
    String v = value.trim();
    if (v.matches("0+(ms|s|m|h)?")) {
      return Duration.ZERO;
    }
    return positive.convert(value);
  }
}
