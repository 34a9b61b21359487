package zeroshot.server.labels;

import java.util.List;
import zeroshot.server.model.Vectors;

/** Prompt ensembling as in the CLIP paper: the renormalised mean of normalised embeddings. */
public final class Ensembles {
  private Ensembles() {}

  /** {@code normalize(mean(vectors))}; the vectors must already be unit length. */
  public static float[] mean(List<float[]> vectors) {
    float[] sum = new float[vectors.get(0).length];
    for (float[] v : vectors) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += v[i];
      }
    }
    return Vectors.normalize(sum);
  }
}
