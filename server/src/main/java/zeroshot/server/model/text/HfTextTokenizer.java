package zeroshot.server.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.List;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ModelExecutionException;

/**
 * A model's HuggingFace tokenizer: every text becomes exactly the context length of token ids, and
 * each word the tokenizer does not know is named once in the log. It needs no deep learning engine
 * (DJL's tokenizers library is a binding of HuggingFace's Rust tokenizers), so every runtime can
 * share it. Thread-safe.
 */
final class HfTextTokenizer implements TextTokenizer {
  private final HuggingFaceTokenizer tokenizer;
  private final UnknownWords unknownWords;
  private final int length;

  private HfTextTokenizer(HuggingFaceTokenizer tokenizer, UnknownWords unknownWords, int length) {
    this.tokenizer = tokenizer;
    this.unknownWords = unknownWords;
    this.length = length;
  }

  /**
   * Opens the tokenizer.json that {@code spec} names.
   *
   * @throws InvalidModelException if it cannot be loaded as a HuggingFace tokenizer
   */
  static HfTextTokenizer load(String modelName, TokenizerSpec spec, boolean quoteText)
      throws InvalidModelException {
    HuggingFaceTokenizer tokenizer = Tokenizers.load(spec);
    return new HfTextTokenizer(
        tokenizer, UnknownWords.of(modelName, spec.file(), quoteText), spec.contextLength());
  }

  @Override
  public TokenIds tokenize(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    long[][] ids = new long[encodings.length][];
    int[] lengths = new int[encodings.length];
    for (int i = 0; i < encodings.length; i++) {
      unknownWords.check(texts.get(i), encodings[i]);
      ids[i] = encodings[i].getIds();
      if (ids[i].length != length) {
        throw new ModelExecutionException(
            "tokenizer returned " + ids[i].length + " ids (expected: " + length + ")");
      }
      for (long bit : encodings[i].getAttentionMask()) {
        lengths[i] += (int) bit;
      }
    }
    return new TokenIds(ids, lengths);
  }

  @Override
  public List<String> unknownWords(String text) {
    return unknownWords.in(text, tokenizer.encode(text));
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
