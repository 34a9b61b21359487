package zeroshot.server.model;

/** Small vector arithmetic on embeddings kept as {@code float[]}. */
public final class Vectors {
  private Vectors() {}

  /** Splits a row-major {@code [rows, dim]} matrix into L2-normalised rows. */
  public static float[][] normalizedRows(float[] flat, int dim) {
    int rows = flat.length / dim;
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      float[] row = new float[dim];
      System.arraycopy(flat, r * dim, row, 0, dim);
      out[r] = normalize(row);
    }
    return out;
  }

  /** Scales {@code v} in place to unit length (a zero vector stays zero) and returns it. */
  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }

  /** The dot product of {@code input} with each row: the cosines, for unit vectors. */
  public static float[] dots(float[] input, float[][] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = dot(input, rows[i]);
    }
    return out;
  }

  /** The dot product; the cosine similarity for unit vectors. */
  public static float dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vector lengths: " + a.length + " and " + b.length + " (expected: equal)");
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return (float) sum;
  }
}
