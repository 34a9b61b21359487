package zeroshot.server.model;

/**
 * How close two models' embeddings of the same inputs are: the cosines of row pairs of
 * L2-normalised embedding matrices, the smallest and the mean, gathered over any number of batches
 * (a reduced-precision copy against its float32 original).
 */
public final class RowCosines {
  private double min = 1;
  private double sum;
  private int count;

  /** Adds the cosine of each row of {@code a} with the same row of {@code b}. */
  public RowCosines add(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "rows: " + a.length + " and " + b.length + " (expected: the same inputs)");
    }
    for (int i = 0; i < a.length; i++) {
      double cos = Vectors.dot(a[i], b[i]);
      min = Math.min(min, cos);
      sum += cos;
      count++;
    }
    return this;
  }

  /** The smallest cosine; 1 before any row. */
  public double min() {
    return min;
  }

  /** The mean cosine; NaN before any row. */
  public double mean() {
    return sum / count;
  }

  /** The rows compared. */
  public int count() {
    return count;
  }
}
