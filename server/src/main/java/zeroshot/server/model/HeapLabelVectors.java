package zeroshot.server.model;

import java.util.concurrent.atomic.AtomicBoolean;

/** Label vectors in the Java heap: the default for models that keep no device memory. */
public final class HeapLabelVectors implements LabelVectors {
  private final float[][] rows;
  private final AtomicBoolean closed = new AtomicBoolean();

  public HeapLabelVectors(float[][] rows) {
    this.rows = rows.clone();
  }

  @Override
  public int size() {
    return rows.length;
  }

  @Override
  public float[] cosines(float[] input) {
    if (closed.get()) {
      throw new ReleasedException();
    }
    return Vectors.dots(input, rows);
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
