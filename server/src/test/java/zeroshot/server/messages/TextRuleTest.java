package zeroshot.server.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One rule for client texts, one exception naming the field, for every package that checks. */
class TextRuleTest {

  @Test
  void aBlankTextNamesTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> TextRule.check("labels[2]", " \t", "label", 10))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessage("labels[2]: blank (expected: a non-blank label)")
        .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo("labels[2]"));
  }

  @Test
  void lengthIsCountedInCodePointsSoAnEmojiCountsOnce() {
    assertThatCode(() -> TextRule.check("text", "🐱🐱🐱", "text", 3)).doesNotThrowAnyException();
    assertThatThrownBy(() -> TextRule.check("text", "🐱🐱🐱🐱", "text", 3))
        .hasMessage("text: 4 characters (expected: at most 3)");
    assertThatThrownBy(() -> TextRule.checkLength("request_id", "abcd", 3))
        .hasMessage("request_id: 4 characters (expected: at most 3)");
  }

  @Test
  void aValueThatFailedLaterKeepsItsCauseAndItsMessage() {
    IllegalStateException cause = new IllegalStateException("not an image (expected: JPEG, PNG)");

    InvalidFieldException e = new InvalidFieldException("images[1]", cause);

    assertThat(e).hasMessage("images[1]: not an image (expected: JPEG, PNG)").hasCause(cause);
    assertThat(e.field()).isEqualTo("images[1]");
  }
}
