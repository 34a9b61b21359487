package zeroshot.server.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where models run: {@code auto} (one replica on every GPU the engine sees, else the CPU), {@code
 * cpu}, {@code gpu} (GPU 0), {@code gpu:N}, or several GPUs {@code gpu:0,gpu:1} (one replica of
 * each model per GPU).
 *
 * @param kind what was asked for
 * @param gpus the GPU indices for {@link Kind#GPU}, distinct and in order; empty otherwise
 */
public record DeviceSpec(Kind kind, List<Integer> gpus) {
  /** The kinds of device. */
  public enum Kind {
    AUTO,
    CPU,
    GPU
  }

  public DeviceSpec {
    gpus = List.copyOf(gpus);
    if ((kind == Kind.GPU) == gpus.isEmpty()) {
      throw new IllegalArgumentException(
          "gpus: " + gpus + " (expected: at least one index exactly for gpu)");
    }
    if (gpus.stream().distinct().count() != gpus.size() || gpus.stream().anyMatch(i -> i < 0)) {
      throw new IllegalArgumentException("gpus: " + gpus + " (expected: distinct indices >= 0)");
    }
  }

  /** One GPU. */
  public static DeviceSpec gpu(int index) {
    return new DeviceSpec(Kind.GPU, List.of(index));
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N} or a comma-separated list of
   * {@code gpu:N}.
   */
  public static DeviceSpec parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      return new DeviceSpec(Kind.AUTO, List.of());
    }
    if (s.equals("cpu")) {
      return new DeviceSpec(Kind.CPU, List.of());
    }
    if (s.equals("gpu")) {
      return gpu(0);
    }
    List<Integer> gpus = new ArrayList<>();
    for (String part : s.split(",", -1)) {
      String p = part.trim();
      if (!p.matches("gpu:\\d{1,3}")) {
        throw new IllegalArgumentException(
            "device: '" + text + "' (expected: auto, cpu, gpu, gpu:N or gpu:N,gpu:M,...)");
      }
      int index = Integer.parseInt(p.substring(4));
      if (gpus.contains(index)) {
        throw new IllegalArgumentException(
            "device: '" + text + "' names gpu:" + index + " twice (expected: distinct GPUs)");
      }
      gpus.add(index);
    }
    return new DeviceSpec(Kind.GPU, gpus);
  }

  @Override
  public String toString() {
    return kind == Kind.GPU
        ? gpus.stream().map(i -> "gpu:" + i).collect(Collectors.joining(","))
        : kind.name().toLowerCase(Locale.ROOT);
  }
}
