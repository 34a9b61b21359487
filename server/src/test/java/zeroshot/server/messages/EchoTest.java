package zeroshot.server.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EchoTest {
  @Test
  void aShortValueIsShownAsItIs() {
    assertThat(Echo.value("a photo of a {}")).isEqualTo("a photo of a {}");
    assertThat(Echo.value("")).isEmpty();
  }

  @Test
  void aLongValueIsCutAfterSixtyFourCodePointsAndItsLengthIsGiven() {
    assertThat(Echo.value("x".repeat(3_000))).isEqualTo("x".repeat(64) + "…(3000 chars)");
    assertThat(Echo.value("x".repeat(64))).isEqualTo("x".repeat(64));
    assertThat(Echo.value("abcdef", 3)).isEqualTo("abc…(6 chars)");
  }

  @Test
  void charactersAreCodePointsSoNoSurrogatePairIsSplit() {
    String cats = "🐱".repeat(100); // 200 chars, 100 code points

    assertThat(Echo.value(cats)).isEqualTo("🐱".repeat(64) + "…(100 chars)");
  }

  @Test
  void controlAndFormatCharactersAreEscapedSoAMessageStaysOneLine() {
    assertThat(Echo.value("a\nb\r\tc\u001b[31m\u0000\u2028\u202e"))
        .isEqualTo("a\\nb\\r\\tc\\u001b[31m\\u0000\\u2028\\u202e");
  }

  @Test
  void namesShowFiveThenHowManyMore() {
    List<String> names = IntStream.range(0, 100).mapToObj(i -> "set" + i).toList();

    assertThat(Echo.names(names)).isEqualTo("set0, set1, set2, set3, set4 and 95 more");
    assertThat(Echo.names(List.of("a", "b"))).isEqualTo("a, b");
    assertThat(Echo.names(List.of())).isEmpty();
  }

  @Test
  void firstLineKeepsALibrarysMessageUpToItsFirstLineBreak() {
    assertThat(Echo.firstLine("forward failed\nException raised from ... (c10 stack)"))
        .isEqualTo("forward failed");
    assertThat(Echo.firstLine("one line")).isEqualTo("one line");
    assertThat(Echo.firstLine(null)).isEmpty();
  }
}
