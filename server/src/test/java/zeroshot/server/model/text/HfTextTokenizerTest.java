package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.TestModels;

/** The bundled model's tokenizer.json through the {@link TextTokenizer} interface. */
class HfTextTokenizerTest {
  @Test
  void lengthsCountTheTokensTheAttentionMaskCovers() throws Exception {
    TokenizerSpec spec =
        new TokenizerSpec(
            TestModels.tinyClip().resolve("tokenizer.json"),
            TokenizerType.HUGGINGFACE,
            16,
            0,
            false);
    try (TextTokenizer tokenizer = TextTokenizer.load("tiny-clip", spec)) {
      TokenIds result = tokenizer.tokenize(List.of("a red star", "", "star ".repeat(30)));

      assertThat(List.of(result.ids())).allSatisfy(row -> assertThat(row).hasSize(16));
      // A word-level vocabulary with no start or end token; truncated to the context length.
      assertThat(result.lengths()).containsExactly(3, 0, 16);
      assertThat(result.ids()[0][2]).isNotZero();
      assertThat(result.ids()[0][3]).isZero();
    }
  }
}
