package zeroshot.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration the way both command lines write it: a whole number with a unit ({@code 500ms},
 * {@code 30s}, {@code 2m}, {@code 1h}) or ISO-8601 ({@code PT30S}), in any case. This converter
 * takes any duration and leaves the range to the setting it is for (the server's config records
 * check theirs); {@link Positive} and {@link PositiveOrZero} refuse the rest as they read.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern WITH_UNIT = Pattern.compile("([+-]?\\d{1,18})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value);
    if (duration == null) {
      throw new TypeConversionException(
          "'" + value + "' (expected: a duration such as 500ms, 30s, 2m or PT30S)");
    }
    return duration;
  }

  /** A duration above zero, such as a deadline or a run time. */
  public static final class Positive implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration duration = parse(value);
      if (duration == null || duration.isZero() || duration.isNegative()) {
        throw new TypeConversionException(
            "'" + value + "' (expected: a positive duration such as 500ms, 10s, 2m, 1h)");
      }
      return duration;
    }
  }

  /** As {@link Positive}, or {@code 0} in any unit (also without one) for "none". */
  public static final class PositiveOrZero implements ITypeConverter<Duration> {
    private final Positive positive = new Positive();

    @Override
    public Duration convert(String value) {
      if (value.trim().matches("0+(ms|s|m|h)?")) {
        return Duration.ZERO;
      }
      return positive.convert(value);
    }
  }

  /**
   * Writes {@code duration} as these converters read it, e.g. {@code 1ms}, {@code 30s}, {@code 2m}.
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0 && millis > 0) {
      return millis / 1_000 + "s";
    }
    return millis > 0 ? millis + "ms" : duration.toString();
  }

  /**
   * The duration {@code value} writes, or null if it writes none (or one too long for Duration).
   */
  static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher matcher = WITH_UNIT.matcher(v);
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      }
      return Duration.parse(v.toUpperCase(Locale.ROOT));
    } catch (ArithmeticException | DateTimeParseException e) {
      return null;
    }
  }
}
