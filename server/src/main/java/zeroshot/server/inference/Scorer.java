package zeroshot.server.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import zeroshot.server.model.Scoring;
import zeroshot.server.model.Vectors;

/**
 * Zero-shot scoring: cosines of one input against N labels (one matrix-vector product),
 * probabilities by the model's {@link Scoring} (a softmax of {@code logitScale × cosine} over all
 * N, or a sigmoid of {@code logitScale × cosine + logitBias} per label), and the top k.
 */
public final class Scorer {
  private Scorer() {}

  /**
   * Scores {@code input} against every row of {@code labels}.
   *
   * @param input an L2-normalised embedding
   * @param labels L2-normalised label embeddings, one row per label
   * @param scoring the model's scoring
   * @param topK how many labels to return; 0 or more than N returns all
   * @return the best labels, highest score first; ties keep request order
   */
  public static List<ScoredLabel> topK(float[] input, float[][] labels, Scoring scoring, int topK) {
    return topK(Vectors.dots(input, labels), scoring, topK);
  }

  /** As above, for cosines already computed (e.g. by one matrix product on the model's device). */
  public static List<ScoredLabel> topK(float[] cosines, Scoring scoring, int topK) {
    if (topK < 0) {
      throw new IllegalArgumentException("topK: " + topK + " (expected: >= 0)");
    }
    double[] probabilities =
        scoring.kind() == Scoring.Kind.SIGMOID
            ? sigmoids(cosines, scoring.logitScale(), scoring.logitBias())
            : softmax(cosines, scoring.logitScale());
    int n = cosines.length;
    int k = topK == 0 || topK > n ? n : topK;
    // Both rules are increasing in the cosine, so the cosine orders the labels for either.
    Comparator<ScoredLabel> worstFirst =
        Comparator.comparingDouble(ScoredLabel::cosine)
            .thenComparing(ScoredLabel::index, Comparator.reverseOrder());
    PriorityQueue<ScoredLabel> best = new PriorityQueue<>(k + 1, worstFirst);
    for (int j = 0; j < n; j++) {
      best.add(new ScoredLabel(j, cosines[j], (float) probabilities[j]));
      if (best.size() > k) {
        best.poll();
      }
    }
    List<ScoredLabel> out = new ArrayList<>(best);
    out.sort(worstFirst.reversed());
    return out;
  }

  private static double[] softmax(float[] cosines, float logitScale) {
    int n = cosines.length;
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, logitScale * cosines[j]);
    }
    // The maximum is subtracted so that exp never overflows.
    double sum = 0;
    double[] exps = new double[n];
    for (int j = 0; j < n; j++) {
      exps[j] = Math.exp(logitScale * cosines[j] - max);
      sum += exps[j];
    }
    for (int j = 0; j < n; j++) {
      exps[j] /= sum;
    }
    return exps;
  }

  /** Each label alone: {@code 1 / (1 + exp(-(scale × cosine + bias)))}, as SigLIP scores. */
  private static double[] sigmoids(float[] cosines, float logitScale, float logitBias) {
    double[] out = new double[cosines.length];
    for (int j = 0; j < cosines.length; j++) {
      double logit = (double) logitScale * cosines[j] + logitBias;
      out[j] = 1 / (1 + Math.exp(-logit));
    }
    return out;
  }
}
