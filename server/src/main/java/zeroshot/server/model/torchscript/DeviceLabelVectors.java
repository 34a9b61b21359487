package zeroshot.server.model.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import zeroshot.server.model.LabelVectors;

/**
 * Label vectors as one {@code [D, N]} tensor on the model's device, in a manager of their own.
 * Scoring multiplies a {@code [1, D]} input with it in a per-call sub-manager, so the result is
 * freed with the call. A count of users keeps the tensor alive while scoring runs: {@link #close()}
 * frees it when the last user is done.
 */
final class DeviceLabelVectors implements LabelVectors {
  private final NDManager manager;
  private final NDArray transposed;
  private final int size;
  private final int dim;
  private final AtomicInteger users = new AtomicInteger(1); // 1: the owner's reference
  private final AtomicBoolean closed = new AtomicBoolean();

  DeviceLabelVectors(NDManager parent, float[][] rows, int dim) {
    this.size = rows.length;
    this.dim = dim;
    this.manager = parent.newSubManager();
    float[] flat = new float[size * dim];
    for (int i = 0; i < size; i++) {
      if (rows[i].length != dim) {
        manager.close();
        throw new IllegalArgumentException(
            "label vector " + i + ": " + rows[i].length + " floats (expected: " + dim + ")");
      }
      System.arraycopy(rows[i], 0, flat, i * dim, dim);
    }
    // create() wraps a Java direct buffer that the array keeps alive only until it is closed,
    // and transpose() is a view of it: the copy gives the kept tensor storage of its own.
    try (NDArray matrix = manager.create(flat, new Shape(size, dim));
        NDArray view = matrix.transpose()) {
      this.transposed = view.duplicate();
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public float[] cosines(float[] input) {
    if (!acquire()) {
      throw new ReleasedException();
    }
    try (NDManager call = manager.newSubManager()) {
      return call.create(input, new Shape(1, dim)).matMul(transposed).toFloatArray();
    } finally {
      release();
    }
  }

  private boolean acquire() {
    for (int u = users.get(); u > 0; u = users.get()) {
      if (users.compareAndSet(u, u + 1)) {
        return true;
      }
    }
    return false;
  }

  private void release() {
    if (users.decrementAndGet() == 0) {
      manager.close();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release();
    }
  }
}
