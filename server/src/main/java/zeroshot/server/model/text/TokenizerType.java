package zeroshot.server.model.text;

import java.util.Locale;

/** Which pipeline turns label prompts into token ids: model.json's {@code text.tokenizer_type}. */
public enum TokenizerType {
  /** A HuggingFace {@code tokenizer.json} (CLIP); the default when model.json names no type. */
  HUGGINGFACE,
  /** SigLIP: transformers' {@code SiglipTokenizer} pipeline over the checkpoint's spiece.model. */
  SIGLIP,
  /**
   * SigLIP 2: transformers' {@code GemmaTokenizer} set up as the SigLIP 2 checkpoints are (EOS
   * appended, no BOS, padded on the right), over the checkpoint's tokenizer.model.
   */
  GEMMA;

  /** The name model.json uses: {@code "huggingface"}, {@code "siglip"} or {@code "gemma"}. */
  public String manifestName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The type model.json names {@code name}.
   *
   * @throws IllegalArgumentException if no type has that name
   */
  public static TokenizerType fromManifestName(String name) {
    for (TokenizerType type : values()) {
      if (type.manifestName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "text.tokenizer_type: '" + name + "' (expected: huggingface, siglip or gemma)");
  }
}
