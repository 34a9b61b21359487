package zeroshot.server.model.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What SigLIP's and SigLIP 2's tokenizers share around SentencePiece: each text's ids are cut to
 * the context length less one, the EOS follows, padding fills the rest; and the characters the
 * vocabulary lacks are named once in the log. Subclasses say how a text becomes ids.
 *
 * <p>Thread-safe, as {@link SentencePieceModel} and {@link UnknownWords} are.
 */
abstract class SentencePieceTokenizer implements TextTokenizer {
  private final SentencePieceModel model;
  private final UnknownWords unknownWords;
  private final int contextLength;
  private final long padId;
  private final int eosId;
  private final int unknownId;

  SentencePieceTokenizer(
      SentencePieceModel model,
      UnknownWords unknownWords,
      TokenizerSpec spec,
      int eosId,
      int unknownId) {
    this.model = model;
    this.unknownWords = unknownWords;
    this.contextLength = spec.contextLength();
    this.padId = spec.padId();
    this.eosId = eosId;
    this.unknownId = unknownId;
  }

  /**
   * Adds the ids of {@code text} to {@code out} (no EOS, no truncation), and to {@code unknown} the
   * words of it that SentencePiece maps to the unknown piece.
   */
  abstract void encode(String text, IntStream.Builder out, List<String> unknown);

  /**
   * Whether a text whose (truncated) ids already end with the EOS gets no second one: true for
   * SigLIP, false for Gemma, which appends it whatever comes before.
   */
  abstract boolean eosOnlyIfAbsent();

  @Override
  public final TokenIds tokenize(List<String> texts) {
    long[][] ids = new long[texts.size()][];
    int[] lengths = new int[texts.size()];
    for (int i = 0; i < ids.length; i++) {
      IntStream.Builder pieces = IntStream.builder();
      List<String> unknown = new ArrayList<>();
      encode(texts.get(i), pieces, unknown);
      unknownWords.warnOnce(texts.get(i), unknown);
      int[] content = pieces.build().toArray();
      long[] row = new long[contextLength];
      int n = Math.min(content.length, contextLength - 1); // the EOS always fits
      for (int j = 0; j < n; j++) {
        row[j] = content[j];
      }
      if (!(eosOnlyIfAbsent() && n > 0 && row[n - 1] == eosId)) {
        row[n++] = eosId;
      }
      Arrays.fill(row, n, contextLength, padId);
      ids[i] = row;
      lengths[i] = n;
    }
    return new TokenIds(ids, lengths);
  }

  @Override
  public final List<String> unknownWords(String text) {
    List<String> unknown = new ArrayList<>();
    encode(text, IntStream.builder(), unknown);
    return unknown;
  }

  /**
   * Adds the ids SentencePiece gives {@code input}, less its first {@code skip}, to {@code out},
   * and to {@code unknown} the characters of it that SentencePiece maps to the unknown piece.
   */
  final void sentencePiece(IntStream.Builder out, List<String> unknown, String input, int skip) {
    int[] all = model.encode(input);
    int[] ids = Arrays.copyOfRange(all, Math.min(skip, all.length), all.length);
    if (Arrays.stream(ids).anyMatch(id -> id == unknownId)) {
      String[] pieces = model.pieces(input); // the same segmentation, with the unknown text
      for (int j = 0; j < ids.length && skip + j < pieces.length; j++) {
        String surface = pieces[skip + j].replace("\u2581", "").strip();
        if (ids[j] == unknownId && worthWarning(surface)) {
          unknown.add(surface);
        }
      }
    }
    for (int id : ids) {
      out.add(id);
    }
  }

  /** Letters, digits and symbols (emoji): a label of unknown punctuation is not worth a warning. */
  private static boolean worthWarning(String surface) {
    return surface
        .codePoints()
        .anyMatch(
            c -> Character.isLetterOrDigit(c) || Character.getType(c) == Character.OTHER_SYMBOL);
  }

  @Override
  public void close() {
    model.close();
  }
}
