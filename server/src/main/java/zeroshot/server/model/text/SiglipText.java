package zeroshot.server.model.text;

import java.util.Locale;

/**
 * SigLIP's canonical text, as transformers' {@code SiglipTokenizer} makes it of each piece of text
 * between special-token strings: lower-cased, ASCII punctuation deleted, whitespace runs made one
 * space, trimmed. {@code "Hello, World!"} becomes {@code "hello world"}; {@code "3.14"} becomes
 * {@code "314"}; non-ASCII punctuation such as {@code ’ “ — …} stays.
 */
final class SiglipText {
  /** Python's {@code string.punctuation}: every ASCII punctuation character, 32 in all. */
  static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private SiglipText() {}

  /** {@code text} canonicalised; empty if it held only whitespace and punctuation. */
  static String canonicalize(String text) {
    // Java 17's lower-casing follows Unicode 13, Python 3.11's Unicode 14: they differ only on
    // the 40 capitals added since (Vithkuqi and a few Latin and Glagolitic letters).
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    boolean space = false;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (PUNCTUATION.indexOf(c) >= 0) {
        continue; // deleted before whitespace is collapsed: "a . b" is "a b"
      }
      if (isPythonWhitespace(c)) {
        space = true;
      } else {
        if (space && !out.isEmpty()) {
          out.append(' ');
        }
        space = false;
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Whether Python's {@code re} matches {@code c} with {@code \s} in a str pattern (the same set as
   * {@code str.isspace}): 29 characters, all in the BMP. Neither Java's {@link
   * Character#isWhitespace} (no no-break spaces) nor its Unicode {@code \s} (no U+001C..U+001F) is
   * this set; the zero-width space U+200B is in none of them.
   */
  static boolean isPythonWhitespace(char c) {
    return (c >= '\t' && c <= '\r')
        || (c >= '\u001c' && c <= ' ')
        || c == '\u0085'
        || c == '\u00a0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200a')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202f'
        || c == '\u205f'
        || c == '\u3000';
  }
}
