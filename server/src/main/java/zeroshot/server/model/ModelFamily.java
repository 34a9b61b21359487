package zeroshot.server.model;

import java.util.Locale;

/**
 * The architecture a model directory was exported from, as its manifest's {@code family} names it.
 * The family decides nothing by itself: preprocessing, tokenizer and scoring are each spelled out
 * in the manifest; the family is what {@code ListModels} and the start-up summary report.
 */
public enum ModelFamily {
  /** OpenAI CLIP and Hugging Face {@code CLIPModel}: the default when the manifest names none. */
  CLIP,
  /** Google's SigLIP ({@code SiglipModel}). */
  SIGLIP,
  /** Google's SigLIP 2, fixed resolution ({@code SiglipModel}) or NaFlex ({@code Siglip2Model}). */
  SIGLIP2;

  /** The manifest's spelling: {@code clip}, {@code siglip} or {@code siglip2}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
