package zeroshot.server.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * How a model turns cosine similarities into label probabilities: CLIP's softmax over all
 * candidates, or SigLIP's sigmoid of each label on its own.
 *
 * @param kind softmax or sigmoid
 * @param logitScale the multiplier of cosines (CLIP: 100; SigLIP: exp of the checkpoint's {@code
 *     logit_scale}, about 110), finite and {@code > 0}
 * @param logitBias added after scaling; sigmoid only (SigLIP: about -10 to -17), 0 for softmax
 */
public record Scoring(Kind kind, float logitScale, float logitBias) {

  /** The two scoring rules. */
  public enum Kind {
    /**
     * {@code softmax(logitScale × cosine)} over all candidate labels: the probabilities sum to 1,
     * so they say which label fits best, not whether any fits.
     */
    SOFTMAX,
    /**
     * {@code sigmoid(logitScale × cosine + logitBias)} per label: each label's own probability of
     * matching, independent of the others (they need not sum to 1; all may be low: "none of
     * these").
     */
    SIGMOID;

    /** The manifest's spelling: {@code softmax} or {@code sigmoid}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Scoring {
    requireNonNull(kind, "kind");
    if (!(logitScale > 0) || !Float.isFinite(logitScale)) {
      throw new IllegalArgumentException(
          "logitScale: " + logitScale + " (expected: a finite number > 0)");
    }
    if (!Float.isFinite(logitBias)) {
      throw new IllegalArgumentException("logitBias: " + logitBias + " (expected: finite)");
    }
    if (kind == Kind.SOFTMAX && logitBias != 0) {
      throw new IllegalArgumentException(
          "logitBias: " + logitBias + " (expected: 0 for softmax, which a bias cannot change)");
    }
  }

  /** CLIP's scoring with {@code logitScale}. */
  public static Scoring softmax(float logitScale) {
    return new Scoring(Kind.SOFTMAX, logitScale, 0);
  }

  /** SigLIP's scoring with {@code logitScale} (already exponentiated) and {@code logitBias}. */
  public static Scoring sigmoid(float logitScale, float logitBias) {
    return new Scoring(Kind.SIGMOID, logitScale, logitBias);
  }
}
