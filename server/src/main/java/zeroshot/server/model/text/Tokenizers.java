package zeroshot.server.model.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.util.Map;
import zeroshot.server.messages.Echo;
import zeroshot.server.model.InvalidModelException;

/** Opens a model's HuggingFace tokenizer so that every text becomes exactly L token ids. */
final class Tokenizers {
  private Tokenizers() {}

  static HuggingFaceTokenizer load(TokenizerSpec spec) throws InvalidModelException {
    Map<String, String> options =
        Map.of(
            "padding", "max_length",
            "maxLength", Integer.toString(spec.contextLength()),
            "truncation", "true");
    try {
      return HuggingFaceTokenizer.newInstance(spec.file(), options);
    } catch (IOException | RuntimeException e) {
      throw new InvalidModelException(
          spec.file()
              + ": cannot be loaded as a HuggingFace tokenizer ("
              + Echo.firstLine(e.getMessage())
              + ")",
          e);
    }
  }
}
