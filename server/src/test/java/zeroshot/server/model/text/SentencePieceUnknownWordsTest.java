package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The characters a SentencePiece vocabulary lacks are named once each, and only those. */
class SentencePieceUnknownWordsTest {
  private final List<String> warnings = new ArrayList<>();

  @Test
  void siglipNamesEachRunOfUnknownCharactersOnce() throws Exception {
    UnknownWords words = new UnknownWords("siglip-test", "<unk>", warnings::add, true);
    try (SiglipTokenizer tokenizer =
        SiglipTokenizer.load(
            SiglipCases.spec(SiglipCases.siglipModel(), TokenizerType.SIGLIP, 1, false), words)) {
      tokenizer.tokenize(List.of("a 🐱 and a 猫", "another 🐱", "a cat “quoted”", "</s> 猫"));
    }

    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0))
        .startsWith("model siglip-test does not know the word \"🐱\" (in \"a 🐱 and a 猫\")");
    assertThat(warnings.get(1)).contains("\"猫\"");
  }

  @Test
  void gemmaKnowsEveryCharacterThroughItsBytePieces() throws Exception {
    UnknownWords words = new UnknownWords("siglip2-test", "<unk>", warnings::add, true);
    try (GemmaTokenizer tokenizer =
        GemmaTokenizer.load(
            SiglipCases.spec(SiglipCases.gemmaModel(), TokenizerType.GEMMA, 0, true), words)) {
      tokenizer.tokenize(List.of("a 🐱 and a 猫 <unk>"));
    }

    assertThat(warnings).isEmpty();
  }
}
