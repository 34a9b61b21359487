package zeroshot.server.model;

/**
 * Label vectors kept where the model runs (device memory on a GPU) for scoring many inputs against:
 * one matrix product per input. Thread-safe. {@link #close()} frees them once no scoring uses them
 * any more; scoring after that throws {@link ReleasedException}.
 */
public interface LabelVectors extends AutoCloseable {
  /** Number of labels (rows). */
  int size();

  /** The cosine of {@code input} (unit length) with every label, in row order. */
  float[] cosines(float[] input);

  @Override
  void close();

  /** The vectors were released (their label set was replaced or deleted meanwhile). */
  final class ReleasedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ReleasedException() {
      super("label vectors released");
    }
  }
}
