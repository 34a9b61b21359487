package zeroshot.server.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import zeroshot.server.model.Vectors;

/**
 * Zero-shot scoring: cosines of one input against N labels (one matrix-vector product),
 * probabilities by a softmax of {@code logitScale × cosine} over all N, and the top k.
 */
public final class Scorer {
  private Scorer() {}

  /**
   * Scores {@code input} against every row of {@code labels}.
   *
   * @param input an L2-normalised embedding
   * @param labels L2-normalised label embeddings, one row per label
   * @param logitScale the model's logit scale
   * @param topK how many labels to return; 0 or more than N returns all
   * @return the best labels, highest score first; ties keep request order
   */
  public static List<ScoredLabel> topK(
      float[] input, float[][] labels, float logitScale, int topK) {
    return topK(Vectors.dots(input, labels), logitScale, topK);
  }

  /** As above, for cosines already computed (e.g. by one matrix product on the model's device). */
  public static List<ScoredLabel> topK(float[] cosines, float logitScale, int topK) {
    if (topK < 0) {
      throw new IllegalArgumentException("topK: " + topK + " (expected: >= 0)");
    }
    int n = cosines.length;
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, logitScale * cosines[j]);
    }
    // Softmax with the maximum subtracted, so that exp never overflows.
    double sum = 0;
    double[] exps = new double[n];
    for (int j = 0; j < n; j++) {
      exps[j] = Math.exp(logitScale * cosines[j] - max);
      sum += exps[j];
    }
    int k = topK == 0 || topK > n ? n : topK;
    Comparator<ScoredLabel> worstFirst =
        Comparator.comparingDouble(ScoredLabel::cosine)
            .thenComparing(ScoredLabel::index, Comparator.reverseOrder());
    PriorityQueue<ScoredLabel> best = new PriorityQueue<>(k + 1, worstFirst);
    for (int j = 0; j < n; j++) {
      best.add(new ScoredLabel(j, cosines[j], (float) (exps[j] / sum)));
      if (best.size() > k) {
        best.poll();
      }
    }
    List<ScoredLabel> out = new ArrayList<>(best);
    out.sort(worstFirst.reversed());
    return out;
  }
}
