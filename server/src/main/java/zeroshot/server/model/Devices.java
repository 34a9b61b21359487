package zeroshot.server.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import zeroshot.server.config.DeviceSpec;

/** Turns the configured device into the PyTorch engine's device. */
public final class Devices {
  private Devices() {}

  /**
   * {@code auto} is the first GPU when PyTorch sees one (a CUDA build on a host with a driver),
   * else the CPU; {@code gpu:N} must exist.
   */
  public static Device resolve(DeviceSpec spec) {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    return switch (spec.kind()) {
      case CPU -> Device.cpu();
      case AUTO -> gpus > 0 ? Device.gpu(0) : Device.cpu();
      case GPU -> {
        if (spec.gpuIndex() >= gpus) {
          throw new IllegalArgumentException(
              "device: "
                  + spec
                  + " (PyTorch sees "
                  + gpus
                  + " GPU(s); expected: a CUDA build (-Pcuda) on a host with an NVIDIA driver, or"
                  + " device auto/cpu)");
        }
        yield Device.gpu(spec.gpuIndex());
      }
    };
  }
}
