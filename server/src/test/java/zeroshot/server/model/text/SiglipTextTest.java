package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SigLIP's canonical text, as transformers' {@code canonicalize_text} makes it. */
class SiglipTextTest {
  @Test
  void deletesEveryAsciiPunctuationCharacterAndNoOther() {
    assertThat(SiglipText.canonicalize("3.14 F-16 it's (ok)")).isEqualTo("314 f16 its ok");
    assertThat(SiglipText.canonicalize("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")).isEmpty();
    assertThat(SiglipText.canonicalize("it’s “curly” — …")).isEqualTo("it’s “curly” — …");
  }

  @Test
  void deletesPunctuationBeforeCollapsingWhitespace() {
    assertThat(SiglipText.canonicalize("a . b")).isEqualTo("a b");
    assertThat(SiglipText.canonicalize(" ... a ")).isEqualTo("a");
  }

  @Test
  void collapsesWhatPythonsBackslashSMatchesAndTrims() {
    assertThat(SiglipText.canonicalize("\t a\u00a0\u0085b\u001cc\u2007d\u3000e \n"))
        .isEqualTo("a b c d e");
    // Not whitespace for Python: zero-width space, Mongolian vowel separator, BOM.
    assertThat(SiglipText.canonicalize("a\u200bb\u180ec\ufeffd"))
        .isEqualTo("a\u200bb\u180ec\ufeffd");
  }

  @Test
  void lowerCasesAsPythonDoes() {
    assertThat(SiglipText.canonicalize("İSTANBUL ΟΔΟΣ Straße")).isEqualTo("i̇stanbul οδος straße");
  }

  @Test
  void whitespaceClassMatchesPythonsStrIsspace() {
    // The 29 characters Python 3.11's str.isspace() accepts (re's \s in a str pattern).
    String python =
        "\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003"
            + "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
    StringBuilder java = new StringBuilder();
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      if (SiglipText.isPythonWhitespace(c)) {
        java.append(c);
      }
    }
    assertThat(java.toString()).isEqualTo(python);
  }
}
