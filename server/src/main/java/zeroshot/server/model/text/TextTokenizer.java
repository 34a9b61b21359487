package zeroshot.server.model.text;

import static java.util.Objects.requireNonNull;

import java.util.List;
import zeroshot.server.model.InvalidModelException;

/**
 * Turns label prompts into exactly the context length of token ids each, as the model's training
 * tokenizer did. Implementations are thread-safe: the server tokenizes from several threads at
 * once. {@link #close()} frees native memory and must come after the last {@link #tokenize} call.
 */
public interface TextTokenizer extends AutoCloseable {
  /**
   * Opens the tokenizer {@code spec} describes for the model {@code modelName} (named in the
   * warnings about unknown words).
   *
   * @throws InvalidModelException if the file cannot be loaded as {@code spec.type()} says, or does
   *     not fit the rest of {@code spec}
   */
  static TextTokenizer load(String modelName, TokenizerSpec spec) throws InvalidModelException {
    return load(modelName, spec, false);
  }

  /**
   * As {@link #load(String, TokenizerSpec)}; {@code quoteText}: the warnings quote the unknown word
   * and its text (the server's {@code --log-request-text}), else only their lengths and a hash.
   */
  static TextTokenizer load(String modelName, TokenizerSpec spec, boolean quoteText)
      throws InvalidModelException {
    requireNonNull(modelName, "modelName");
    requireNonNull(spec, "spec");
    return switch (spec.type()) {
      case HUGGINGFACE -> HfTextTokenizer.load(modelName, spec, quoteText);
      case SIGLIP -> SiglipTokenizer.load(modelName, spec, quoteText);
      case GEMMA -> GemmaTokenizer.load(modelName, spec, quoteText);
    };
  }

  /** The ids of {@code texts}, in order, each row exactly the context length. */
  TokenIds tokenize(List<String> texts);

  /**
   * The words of {@code text} this tokenizer maps to its unknown token, in order (empty for a
   * byte-level tokenizer, which knows every word); logs nothing.
   */
  List<String> unknownWords(String text);

  @Override
  void close();
}
