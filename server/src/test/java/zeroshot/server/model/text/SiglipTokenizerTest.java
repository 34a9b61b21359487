package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.model.InvalidModelException;

/** SigLIP's pipeline against transformers' {@code SiglipTokenizer} on the 42 reference texts. */
class SiglipTokenizerTest {
  private static final long EOS = 1;
  private static TextTokenizer tokenizer;

  @BeforeAll
  static void load() throws Exception {
    tokenizer = TextTokenizer.load("siglip-test", spec(SiglipCases.siglipModel(), EOS));
  }

  @AfterAll
  static void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @Test
  void everyReferenceTextGetsTransformersIdsAndMaskLength() {
    List<SiglipCases.Case> cases = SiglipCases.siglip();
    List<String> failures = SiglipCases.mismatches(tokenizer, cases);

    assertThat(cases).hasSize(42);
    assertThat(failures).as(String.join("\n", failures)).isEmpty();
  }

  @Test
  void onlyTheStartOfTheTextGetsALeadingMetaSpace() {
    // "a" is ▁a (4) at the start and after a space; after </s> it is the bare a (195).
    assertThat(ids("a </s> a a")).startsWith(4, 1, 195, 4, 1);
    assertThat(ids("</s>a")).startsWith(1, 195, 1);
  }

  @Test
  void aTextEndingInTheEosStringGetsNoSecondEos() {
    assertThat(ids("a cat</s>")).startsWith(4, 209, 1);
    assertThat(tokenizer.tokenize(List.of("a cat</s>")).lengths()).containsExactly(3);
  }

  @Test
  void specialStringsAreMatchedBeforeLowerCasing() {
    // </S> is no special string: canonicalised to the word "s".
    assertThat(ids("a </S>")).isEqualTo(ids("a s"));
  }

  @Test
  void truncationKeepsTheEosAtTheLastPosition() {
    TokenIds result = tokenizer.tokenize(List.of("a ".repeat(100), "a ".repeat(63)));

    for (int row = 0; row < 2; row++) {
      long[] ids = result.ids()[row];
      assertThat(Arrays.copyOf(ids, 63)).containsOnly(4L);
      assertThat(ids[63]).isEqualTo(EOS);
      assertThat(result.lengths()[row]).isEqualTo(64);
    }
  }

  @Test
  void attentionMaskCoversTheTextAndItsEos() {
    long[] mask = tokenizer.tokenize(List.of("a photo of a cat")).attentionMask()[0];

    assertThat(Arrays.copyOf(mask, 6)).containsOnly(1L);
    assertThat(Arrays.copyOfRange(mask, 6, 64)).containsOnly(0L);
  }

  @Test
  void aPadIdOtherThanTheEosIsRefused() {
    assertThatThrownBy(() -> TextTokenizer.load("m", spec(SiglipCases.siglipModel(), 0)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("siglip_spm_unigram_1k.model: pad id 0 (expected: 1, the id of </s>");
  }

  @Test
  void aMissingModelFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("spiece.model");

    assertThatThrownBy(() -> TextTokenizer.load("m", spec(missing, EOS)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage(missing + ": no such file (expected: a SentencePiece model)");
  }

  @Test
  void aCorruptModelFileIsRefused(@TempDir Path dir) throws Exception {
    Path corrupt = dir.resolve("spiece.model");
    byte[] bytes = Files.readAllBytes(SiglipCases.siglipModel());
    Files.write(corrupt, Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> TextTokenizer.load("m", spec(corrupt, EOS)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageStartingWith(corrupt + ": cannot be loaded as a SentencePiece model (");
  }

  @Test
  void aModelWithoutTheEosPieceIsRefused() {
    // Gemma's layout names its EOS <eos>: not a SigLIP vocabulary.
    assertThatThrownBy(() -> TextTokenizer.load("m", spec(SiglipCases.gemmaModel(), EOS)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("no piece '</s>' (expected: SigLIP's spiece.model");
  }

  private static long[] ids(String text) {
    return tokenizer.tokenize(List.of(text)).ids()[0];
  }

  private static TokenizerSpec spec(Path file, long padId) {
    return SiglipCases.spec(file, TokenizerType.SIGLIP, padId, false);
  }
}
