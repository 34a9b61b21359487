package zeroshot.server.model.torchscript;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.DeviceSpec;

/** Turns the configured device into the PyTorch engine's devices, one per model replica. */
final class Devices {
  private Devices() {}

  /** What the engine sees: {@code Engine.getEngine("PyTorch").getGpuCount()}. */
  static List<Device> resolve(DeviceSpec spec) {
    return resolve(spec, Engine.getEngine("PyTorch").getGpuCount());
  }

  /**
   * {@code auto} is every GPU PyTorch sees (a CUDA build on a host with a driver; in Kubernetes,
   * the GPUs the pod was given), else the CPU; each listed {@code gpu:N} must exist.
   *
   * @param gpuCount the GPUs the engine sees
   */
  static List<Device> resolve(DeviceSpec spec, int gpuCount) {
    return switch (spec.kind()) {
      case CPU -> List.of(Device.cpu());
      case AUTO -> gpuCount > 0 ? gpus(range(gpuCount)) : List.of(Device.cpu());
      case GPU -> {
        for (int index : spec.gpus()) {
          if (index >= gpuCount) {
            throw new IllegalArgumentException(
                "device: "
                    + spec
                    + " (PyTorch sees "
                    + gpuCount
                    + " GPU(s), so gpu:"
                    + index
                    + " does not exist; expected: a CUDA build (-Pcuda) on a host with an NVIDIA"
                    + " driver, GPU indices below "
                    + gpuCount
                    + ", or device auto/cpu)");
          }
        }
        yield gpus(spec.gpus());
      }
    };
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  private static List<Device> gpus(List<Integer> indices) {
    return indices.stream().map(Device::gpu).toList();
  }

  /** The engine's name for {@code device}; its {@code toString()} is the same as ours. */
  static Device djl(ComputeDevice device) {
    return device.isGpu() ? Device.gpu(device.gpuIndex()) : Device.cpu();
  }

  static ComputeDevice computeDevice(Device device) {
    return device.isGpu() ? ComputeDevice.gpu(device.getDeviceId()) : ComputeDevice.cpu();
  }
}
