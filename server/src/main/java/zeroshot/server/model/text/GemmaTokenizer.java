package zeroshot.server.model.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import zeroshot.server.model.InvalidModelException;

/**
 * SigLIP 2's tokenizer: transformers' SentencePiece-based {@code GemmaTokenizer} as the SigLIP 2
 * checkpoints set it up (no BOS, EOS appended, padding on the right), over tokenizer.model:
 *
 * <ol>
 *   <li>the strings {@code <pad>}, {@code <eos>}, {@code <bos>}, {@code <unk>} and {@code <mask>}
 *       are split out as their ids, spaces around them kept;
 *   <li>each piece of text between them goes to SentencePiece as it is: no canonicalisation, no
 *       leading {@code ▁} (the file's {@code add_dummy_prefix} is off); spaces become {@code ▁},
 *       characters the vocabulary lacks become their UTF-8 bytes ({@code <0x..>} pieces);
 *   <li>the ids are cut to 63 (context length less one), the EOS follows, {@code <pad>} fills the
 *       rest.
 * </ol>
 *
 * <p>The tokenizer itself does not lower-case ({@code do_lower_case=True} in the checkpoints'
 * settings has no effect), yet SigLIP 2 was trained on lower-cased text. With {@link
 * TokenizerSpec#lowercase()} this class lower-cases each piece of text between the special strings,
 * after they are split out: {@code <eos>} typed in a label stays the EOS id, while {@code <EOS>},
 * no special string, is segmented as the text "<eos>". (User-defined pieces such as {@code <mask>}
 * are matched by SentencePiece itself, so {@code <MASK>} does become {@code <mask>}.)
 */
final class GemmaTokenizer extends SentencePieceTokenizer {
  private static final String LAYOUT =
      "Gemma's tokenizer.model, with the pieces <pad>, <eos>, <bos>, <unk> and <mask>";

  private final SpecialStrings specials;
  private final boolean lowercase;

  private GemmaTokenizer(
      SentencePieceModel model,
      UnknownWords unknownWords,
      TokenizerSpec spec,
      Map<String, Integer> specials) {
    super(model, unknownWords, spec, specials.get("<eos>"), specials.get("<unk>"));
    this.specials = new SpecialStrings(specials);
    this.lowercase = spec.lowercase();
  }

  static GemmaTokenizer load(String modelName, TokenizerSpec spec, boolean quoteText)
      throws InvalidModelException {
    return load(spec, UnknownWords.logged(modelName, "<unk>", quoteText));
  }

  /** As {@link #load(String, TokenizerSpec)}, telling {@code unknownWords} what it lacks. */
  static GemmaTokenizer load(TokenizerSpec spec, UnknownWords unknownWords)
      throws InvalidModelException {
    SentencePieceModel model = SentencePieceModel.load(spec.file(), true);
    try {
      Map<String, Integer> specials = new LinkedHashMap<>();
      for (String piece : new String[] {"<pad>", "<eos>", "<bos>", "<unk>", "<mask>"}) {
        specials.put(piece, model.id(piece, LAYOUT));
      }
      if (spec.padId() != specials.get("<pad>")) {
        throw new InvalidModelException(
            spec.file()
                + ": pad id "
                + spec.padId()
                + " (expected: "
                + specials.get("<pad>")
                + ", the id of <pad>)");
      }
      return new GemmaTokenizer(model, unknownWords, spec, specials);
    } catch (InvalidModelException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  @Override
  void encode(String text, IntStream.Builder out, List<String> unknown) {
    for (SpecialStrings.Segment segment : specials.split(text)) {
      if (segment.special()) {
        out.add(segment.id());
      } else {
        String piece = lowercase ? segment.text().toLowerCase(Locale.ROOT) : segment.text();
        sentencePiece(out, unknown, piece, 0);
      }
    }
  }

  @Override
  boolean eosOnlyIfAbsent() {
    return false;
  }
}
