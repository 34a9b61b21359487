package zeroshot.server.model.text;

import static java.util.Objects.requireNonNull;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.List;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ModelExecutionException;
import zeroshot.server.model.ModelManifest;

/**
 * A model's HuggingFace tokenizer: every text becomes exactly the context length of token ids, and
 * each word the tokenizer does not know is named once in the log. It needs no deep learning engine
 * (DJL's tokenizers library is a binding of HuggingFace's Rust tokenizers), so every runtime can
 * share it. Thread-safe.
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final UnknownWords unknownWords;
  private final int length;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, UnknownWords unknownWords, int length) {
    this.tokenizer = tokenizer;
    this.unknownWords = unknownWords;
    this.length = length;
  }

  /**
   * Opens the tokenizer that {@code manifest}'s text encoder names.
   *
   * @throws InvalidModelException if it cannot be loaded as a HuggingFace tokenizer
   */
  public static TextTokenizer load(ModelManifest manifest) throws InvalidModelException {
    requireNonNull(manifest, "manifest");
    HuggingFaceTokenizer tokenizer = Tokenizers.load(manifest.text());
    return new TextTokenizer(
        tokenizer,
        UnknownWords.of(manifest.name(), manifest.text().tokenizer()),
        manifest.text().contextLength());
  }

  /** Token ids as the text encoder receives them: exactly the context length, padded. */
  public long[][] tokenize(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    long[][] ids = new long[encodings.length][];
    for (int i = 0; i < encodings.length; i++) {
      unknownWords.check(texts.get(i), encodings[i]);
      ids[i] = encodings[i].getIds();
      if (ids[i].length != length) {
        throw new ModelExecutionException(
            "tokenizer returned " + ids[i].length + " ids (expected: " + length + ")");
      }
    }
    return ids;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
