package zeroshot.server.model.torchscript;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The CPU instruction-set extensions that decide how fast reduced precisions run, from the {@code
 * flags} line of {@code /proc/cpuinfo} (Linux; elsewhere unknown, and nothing is warned about).
 *
 * @param flags every flag of the first processor; empty when they could not be read
 */
record CpuFeatures(Set<String> flags) {
  /** The flags that matter here, in the order {@link #describe()} lists them. */
  private static final List<String> RELEVANT =
      List.of("avx2", "avx512f", "avx512_bf16", "amx_bf16", "avx512_vnni", "avx_vnni", "amx_int8");

  CpuFeatures {
    flags = Set.copyOf(requireNonNull(flags, "flags"));
  }

  /** This machine's, read once per call from {@code /proc/cpuinfo}. */
  static CpuFeatures ofThisMachine() {
    return read(Path.of("/proc/cpuinfo"));
  }

  /** The flags of {@code cpuinfo}; unknown (empty) when it is missing or has no flags line. */
  static CpuFeatures read(Path cpuinfo) {
    try (var lines = Files.lines(cpuinfo)) {
      return lines
          .filter(l -> l.startsWith("flags"))
          .findFirst()
          .map(l -> new CpuFeatures(Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))))
          .orElse(new CpuFeatures(Set.of()));
    } catch (IOException | RuntimeException e) {
      return new CpuFeatures(Set.of());
    }
  }

  /** Whether the flags were read. */
  boolean known() {
    return !flags.isEmpty();
  }

  /** bfloat16 matrix products in hardware: AVX-512 BF16 (Cooper Lake, Zen 4) or AMX. */
  boolean hasBfloat16() {
    return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
  }

  /** int8 dot products fbgemm uses: VNNI (AVX-512 or AVX), AMX, or at least AVX2. */
  boolean hasInt8Dot() {
    return flags.contains("avx512_vnni")
        || flags.contains("avx_vnni")
        || flags.contains("amx_int8")
        || flags.contains("avx2");
  }

  /** The relevant flags present, e.g. {@code "avx2 avx512f"}, or {@code "none of avx2, ..."}. */
  String describe() {
    List<String> present = RELEVANT.stream().filter(flags::contains).toList();
    return present.isEmpty() ? "none of " + String.join(", ", RELEVANT) : String.join(" ", present);
  }
}
