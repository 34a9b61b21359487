package zeroshot.server.model;

import java.util.List;

/**
 * A way of running models: which devices it sees, how it loads a model onto one of them, and how
 * much memory a GPU has in use. TorchScript through DJL's PyTorch engine ({@code
 * model.torchscript}) is the one there is; another (ONNX Runtime, say) would be another package
 * implementing this. Nothing here or in its callers depends on the runtime's own types.
 */
public interface ModelRuntime extends ModelLoader {
  /**
   * The devices {@code spec} names, one model replica each: {@code auto} is every GPU this runtime
   * sees, else the CPU.
   *
   * @throws IllegalArgumentException if a listed GPU does not exist, saying which ones do
   */
  List<ComputeDevice> devices(DeviceSpec spec);

  /** Bytes in use on {@code gpu}, by every process on it (the driver's count). */
  long memoryUsedBytes(ComputeDevice gpu);
}
