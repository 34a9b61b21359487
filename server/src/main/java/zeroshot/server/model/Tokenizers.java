package zeroshot.server.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.util.Map;
import zeroshot.server.model.ModelManifest.TextEncoderSpec;

/** Opens a model's HuggingFace tokenizer so that every text becomes exactly L token ids. */
final class Tokenizers {
  private Tokenizers() {}

  static HuggingFaceTokenizer load(TextEncoderSpec text) throws InvalidModelException {
    Map<String, String> options =
        Map.of(
            "padding", "max_length",
            "maxLength", Integer.toString(text.contextLength()),
            "truncation", "true");
    try {
      return HuggingFaceTokenizer.newInstance(text.tokenizer(), options);
    } catch (IOException | RuntimeException e) {
      throw new InvalidModelException(
          text.tokenizer()
              + ": cannot be loaded as a HuggingFace tokenizer ("
              + TorchScriptClipModel.firstLine(e.getMessage())
              + ")",
          e);
    }
  }
}
