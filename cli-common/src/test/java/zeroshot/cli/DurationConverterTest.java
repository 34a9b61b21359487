package zeroshot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The server's durations: any value the syntax allows; each setting checks its own range. */
class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter();

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "30s, PT30S",
    "2m, PT2M",
    "1H, PT1H",
    "0s, PT0S",
    "PT-1S, PT-1S",
    " pt30s , PT30S"
  })
  void readsUnitsAndIso8601IncludingZeroAndNegatives(String value, Duration expected) {
    assertThat(converter.convert(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "10", "1d", "1.5s", "", "9999999999999999h"})
  void refusesWhatIsNotADurationSayingWhatWasExpected(String value) {
    assertThatThrownBy(() -> converter.convert(value))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + value + "' (expected: a duration such as 500ms, 30s, 2m or PT30S)");
  }

  @ParameterizedTest
  @CsvSource({"PT0.001S, 1ms", "PT30S, 30s", "PT2M, 2m", "PT1.5S, 1500ms"})
  void formatWritesWhatTheConvertersRead(Duration duration, String text) {
    assertThat(DurationConverter.format(duration)).isEqualTo(text);
    assertThat(converter.convert(text)).isEqualTo(duration);
  }
}
