package zeroshot.server.model;

/**
 * A device one model replica runs on: the CPU, or one GPU by index. Its name, {@code cpu()} or
 * {@code gpu(N)}, is what ListModels and the metrics report.
 *
 * @param gpuIndex the GPU's index, or -1 for the CPU
 */
public record ComputeDevice(int gpuIndex) {
  private static final ComputeDevice CPU = new ComputeDevice(-1);

  public ComputeDevice {
    if (gpuIndex < -1) {
      throw new IllegalArgumentException(
          "gpuIndex: " + gpuIndex + " (expected: -1 for the CPU, or a GPU index >= 0)");
    }
  }

  public static ComputeDevice cpu() {
    return CPU;
  }

  public static ComputeDevice gpu(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
    return new ComputeDevice(index);
  }

  public boolean isGpu() {
    return gpuIndex >= 0;
  }

  /** {@code cpu()} or {@code gpu(N)}. */
  @Override
  public String toString() {
    return isGpu() ? "gpu(" + gpuIndex + ")" : "cpu()";
  }
}
