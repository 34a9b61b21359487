package zeroshot.server.model.text;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import zeroshot.server.model.InvalidModelException;

/**
 * SigLIP's tokenizer, as transformers' {@code SiglipTokenizer} turns a text into ids over the
 * checkpoint's spiece.model:
 *
 * <ol>
 *   <li>every {@code ▁} in the text becomes a space;
 *   <li>the strings {@code </s>} and {@code <unk>} are split out as the EOS and unknown ids (and
 *       matched before lower-casing: {@code </S>} is the word "s");
 *   <li>each piece of text between them is canonicalised ({@link SiglipText}) and segmented by
 *       SentencePiece, its own leading {@code ▁} ({@code add_dummy_prefix}) switched off: only the
 *       piece at the very start of the text gets one, so {@code "a </s> of"} ends in "of", not
 *       "▁of"; a piece with nothing left after canonicalising gives no ids;
 *   <li>the ids are cut to 63 (context length less one), the EOS follows unless they already end
 *       with it, and the EOS pads the rest: SigLIP's PAD is its EOS.
 * </ol>
 */
final class SiglipTokenizer extends SentencePieceTokenizer {
  private static final String LAYOUT = "SigLIP's spiece.model, with the pieces </s> and <unk>";
  private static final String META = "\u2581";
  private static final String UNKNOWN = "<unk>";

  private final SpecialStrings specials;
  private final int unknownLength;

  private SiglipTokenizer(
      SentencePieceModel model,
      UnknownWords unknownWords,
      TokenizerSpec spec,
      int eos,
      int unknown) {
    super(model, unknownWords, spec, eos, unknown);
    this.specials = new SpecialStrings(Map.of("</s>", eos, UNKNOWN, unknown));
    this.unknownLength = model.encode(UNKNOWN).length;
  }

  static SiglipTokenizer load(String modelName, TokenizerSpec spec, boolean quoteText)
      throws InvalidModelException {
    return load(spec, UnknownWords.logged(modelName, UNKNOWN, quoteText));
  }

  /**
   * As {@link #load(String, TokenizerSpec, boolean)}, telling {@code unknownWords} what it lacks.
   */
  static SiglipTokenizer load(TokenizerSpec spec, UnknownWords unknownWords)
      throws InvalidModelException {
    SentencePieceModel model = SentencePieceModel.load(spec.file(), false);
    try {
      int eos = model.id("</s>", LAYOUT);
      int unknown = model.id(UNKNOWN, LAYOUT);
      if (spec.padId() != eos) {
        throw new InvalidModelException(
            spec.file()
                + ": pad id "
                + spec.padId()
                + " (expected: "
                + eos
                + ", the id of </s>, which SigLIP pads with)");
      }
      return new SiglipTokenizer(model, unknownWords, spec, eos, unknown);
    } catch (InvalidModelException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  @Override
  void encode(String text, IntStream.Builder out, List<String> unknown) {
    boolean first = true;
    for (SpecialStrings.Segment segment : specials.split(text.replace(META, " "))) {
      if (segment.special()) {
        out.add(segment.id());
      } else {
        // Canonicalised with the ▁ in front, as transformers does: "  a" is "▁ a", not "▁a".
        String canonical = SiglipText.canonicalize(first ? META + segment.text() : segment.text());
        if (canonical.startsWith(META)) {
          // SentencePiece would strip a leading ▁ as whitespace, so it must follow something:
          // transformers puts its unknown-token string in front and drops that string's pieces.
          sentencePiece(out, unknown, UNKNOWN + canonical, unknownLength);
        } else if (!canonical.isEmpty()) {
          sentencePiece(out, unknown, canonical, 0);
        }
      }
      first = false;
    }
  }

  @Override
  boolean eosOnlyIfAbsent() {
    return true;
  }
}
