package zeroshot.server.model.text;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * What a model's text encoder needs from its tokenizer: the file, the pipeline that reads it, and
 * the shape of the ids.
 *
 * @param file tokenizer.json (HUGGINGFACE), spiece.model (SIGLIP) or tokenizer.model (GEMMA)
 * @param type which pipeline reads {@code file}
 * @param contextLength ids per text (64 for every SigLIP and SigLIP 2 checkpoint, 77 for CLIP), the
 *     final EOS included
 * @param padId the id after the last real token; SIGLIP and GEMMA refuse a value other than their
 *     vocabulary's padding piece ({@code </s>}, {@code <pad>})
 * @param lowercase GEMMA only: lower-case the text between special-token strings before
 *     SentencePiece sees it (see {@link #DEFAULT_LOWERCASE}); SIGLIP always lower-cases, as part of
 *     its canonicalisation; HUGGINGFACE ignores it (the tokenizer.json says what it does)
 */
public record TokenizerSpec(
    Path file, TokenizerType type, int contextLength, long padId, boolean lowercase) {
  /**
   * GEMMA lower-cases by default: SigLIP 2 was trained on lower-cased text, yet its tokenizer does
   * not lower-case ({@code do_lower_case=True} in the checkpoints' settings has no effect), so
   * labels must be lower-cased before tokenizing to look like the training data.
   */
  public static final boolean DEFAULT_LOWERCASE = true;

  public TokenizerSpec {
    requireNonNull(file, "file");
    requireNonNull(type, "type");
    if (contextLength < 1) {
      throw new IllegalArgumentException(
          "contextLength: " + contextLength + " (expected: at least 1, room for the EOS)");
    }
    if (padId < 0) {
      throw new IllegalArgumentException("padId: " + padId + " (expected: 0 or more)");
    }
  }
}
