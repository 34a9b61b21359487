package zeroshot.server.config;

import java.util.Locale;

/**
 * Where models run: {@code auto} (the first GPU if the engine sees one, else the CPU), {@code cpu},
 * {@code gpu} (GPU 0) or {@code gpu:N}.
 *
 * @param kind what was asked for
 * @param gpuIndex the GPU for {@link Kind#GPU}, else -1
 */
public record DeviceSpec(Kind kind, int gpuIndex) {
  /** The kinds of device. */
  public enum Kind {
    AUTO,
    CPU,
    GPU
  }

  public DeviceSpec {
    if ((kind == Kind.GPU) != (gpuIndex >= 0)) {
      throw new IllegalArgumentException(
          "gpuIndex: " + gpuIndex + " (expected: >= 0 exactly for gpu)");
    }
  }

  /** Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}. */
  public static DeviceSpec parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      return new DeviceSpec(Kind.AUTO, -1);
    }
    if (s.equals("cpu")) {
      return new DeviceSpec(Kind.CPU, -1);
    }
    if (s.equals("gpu")) {
      return new DeviceSpec(Kind.GPU, 0);
    }
    if (s.matches("gpu:\\d{1,3}")) {
      return new DeviceSpec(Kind.GPU, Integer.parseInt(s.substring(4)));
    }
    throw new IllegalArgumentException(
        "device: '" + text + "' (expected: auto, cpu, gpu or gpu:N)");
  }

  @Override
  public String toString() {
    return kind == Kind.GPU ? "gpu:" + gpuIndex : kind.name().toLowerCase(Locale.ROOT);
  }
}
