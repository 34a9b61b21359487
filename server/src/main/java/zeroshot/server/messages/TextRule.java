package zeroshot.server.messages;

/**
 * The rule for a text the client sends (a label, a text input, a label set's label, synonym,
 * template or extra prompt): not blank, and at most so many characters, counted in code points so
 * that an emoji counts once.
 */
public final class TextRule {
  private TextRule() {}

  /**
   * Throws unless {@code value} is non-blank and at most {@code maxChars} characters.
   *
   * @param what what the value is, for the message ({@code "a non-blank label"})
   */
  public static void check(String field, String value, String what, int maxChars) {
    if (value.isBlank()) {
      throw new InvalidFieldException(field, "blank (expected: a non-blank " + what + ")");
    }
    checkLength(field, value, maxChars);
  }

  /** Throws unless {@code value} is at most {@code maxChars} characters (code points). */
  public static void checkLength(String field, String value, int maxChars) {
    int chars = value.codePointCount(0, value.length());
    if (chars > maxChars) {
      throw new InvalidFieldException(
          field, chars + " characters (expected: at most " + maxChars + ")");
    }
  }
}
