package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.InvalidModelException;

/**
 * SigLIP 2's pipeline against transformers' {@code GemmaTokenizer} (set up as for SigLIP 2) on the
 * 42 reference texts. The references were made without lower-casing, so they are compared with
 * {@code lowercase} off.
 */
class GemmaTokenizerTest {
  private static final long PAD = 0;
  private static final long EOS = 1;
  private static TextTokenizer asIs;
  private static TextTokenizer lowercasing;

  @BeforeAll
  static void load() throws Exception {
    asIs = TextTokenizer.load("siglip2-test", spec(SiglipCases.gemmaModel(), PAD, false));
    lowercasing = TextTokenizer.load("siglip2-test", spec(SiglipCases.gemmaModel(), PAD, true));
  }

  @AfterAll
  static void close() {
    for (TextTokenizer tokenizer : new TextTokenizer[] {asIs, lowercasing}) {
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }

  @Test
  void everyReferenceTextGetsTransformersIdsAndMaskLength() {
    List<SiglipCases.Case> cases = SiglipCases.gemma();
    List<String> failures = SiglipCases.mismatches(asIs, cases);

    assertThat(cases).hasSize(42);
    assertThat(failures).as(String.join("\n", failures)).isEmpty();
  }

  @Test
  void lowercasingGivesTheIdsOfTheLowerCasedText() {
    for (SiglipCases.Case c : SiglipCases.gemma()) {
      String lower = c.text().toLowerCase(Locale.ROOT);

      assertThat(lowercasing.tokenize(List.of(c.text())).ids()[0])
          .as(c.escaped())
          .containsExactly(asIs.tokenize(List.of(lower)).ids()[0]);
    }
    assertThat(lowercasing.tokenize(List.of("A PHOTO OF A DOG")).ids()[0])
        .isNotEqualTo(asIs.tokenize(List.of("A PHOTO OF A DOG")).ids()[0]);
  }

  @Test
  void specialStringsStaySpecialWhenLowerCasing() {
    assertThat(lowercasing.tokenize(List.of("A<eos>B<pad>")).ids()[0])
        .startsWith(asIs.tokenize(List.of("a")).ids()[0][0], EOS);
    // Upper-case spellings are no special strings: lower-cased, they are segmented as text.
    TokenIds upper = lowercasing.tokenize(List.of("<EOS>"));
    assertThat(upper.ids()[0][0]).isEqualTo(975); // "<", as in case 30's "</s>"
    assertThat(upper.lengths()[0]).isGreaterThan(2);
  }

  @Test
  void aTextEndingInTheEosStringStillGetsItsOwnEos() {
    TokenIds result = asIs.tokenize(List.of("<eos>"));

    assertThat(result.ids()[0]).startsWith(EOS, EOS, PAD);
    assertThat(result.lengths()).containsExactly(2);
  }

  @Test
  void aPadIdOtherThanThePadPieceIsRefused() {
    assertThatThrownBy(() -> TextTokenizer.load("m", spec(SiglipCases.gemmaModel(), EOS, true)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(
            "siglip2_gemma_spm_bpe_1k.model: pad id 1 (expected: 0, the id of <pad>)");
  }

  @Test
  void aModelWithoutGemmasSpecialPiecesIsRefused() {
    assertThatThrownBy(() -> TextTokenizer.load("m", spec(SiglipCases.siglipModel(), PAD, true)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("no piece '<eos>' (expected: Gemma's tokenizer.model");
  }

  private static TokenizerSpec spec(Path file, long padId, boolean lowercase) {
    return SiglipCases.spec(file, TokenizerType.GEMMA, padId, lowercase);
  }
}
