package zeroshot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The client's optional durations: {@link DurationConverter.PositiveOrZero}. */
class PositiveOrZeroDurationConverterTest {

  private final DurationConverter.PositiveOrZero converter = new DurationConverter.PositiveOrZero();

  @Test
  void zeroInAnyUnitIsNone() {
    assertThat(converter.convert("0")).isEqualTo(Duration.ZERO);
    assertThat(converter.convert("0s")).isEqualTo(Duration.ZERO);
    assertThat(converter.convert(" 00ms ")).isEqualTo(Duration.ZERO);
  }

  @Test
  void otherwiseAPositiveDuration() {
    assertThat(converter.convert("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(converter.convert("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> converter.convert("-1s")).isInstanceOf(TypeConversionException.class);
  }
}
