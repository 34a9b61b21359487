package zeroshot.client.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a positive duration: a whole number with a unit ({@code 500ms}, {@code 10s}, {@code 2m},
 * {@code 1h}) or ISO-8601 ({@code PT10S}).
 */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value.trim().toLowerCase(Locale.ROOT));
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new TypeConversionException(
          "'" + value + "' (expected: a positive duration such as 500ms, 10s, 2m, 1h)");
    }
    return duration;
  }

  /**
   * Writes {@code duration} as this converter reads it, e.g. {@code 1ms}, {@code 30s}, {@code 2m}.
   */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0 && millis > 0) {
      return millis / 1_000 + "s";
    }
    return millis > 0 ? millis + "ms" : duration.toString();
  }

  private static Duration parse(String value) {
    Matcher matcher = WITH_UNIT.matcher(value);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
