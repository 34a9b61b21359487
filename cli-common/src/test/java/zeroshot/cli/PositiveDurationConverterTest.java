package zeroshot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The client's deadlines and run times: {@link DurationConverter.Positive}. */
class PositiveDurationConverterTest {

  private final DurationConverter.Positive converter = new DurationConverter.Positive();

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "10s, PT10S",
    "2m, PT2M",
    "1h, PT1H",
    "PT1.5S, PT1.5S",
    "pt3s, PT3S"
  })
  void parsesNumbersWithUnitsAndIso8601(String value, Duration expected) {
    assertThat(converter.convert(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "PT0S", "-1s", "PT-1S", "10", "soon", "1d", ""})
  void rejectsWhatIsNotAPositiveDuration(String value) {
    assertThatThrownBy(() -> converter.convert(value))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + value + "' (expected: a positive duration such as 500ms, 10s, 2m, 1h)");
  }
}
