package zeroshot.server.model.torchscript;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import zeroshot.server.model.InvalidModelException;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.Precision;

/**
 * What a model's precisions need of the device it is loaded on: the precisions it cannot run at all
 * are refused before loading, those it would run slowly are named in a warning.
 */
final class PrecisionSupport {
  private PrecisionSupport() {}

  /**
   * The type an image encoder of {@code precision} takes its pixels in: float16 for float16,
   * float32 otherwise (a bfloat16 tower casts its float32 input itself: DJL 0.33 aborts the process
   * when asked to convert a tensor to bfloat16, measured).
   */
  static DataType pixelType(Precision precision) {
    return precision == Precision.FLOAT16 ? DataType.FLOAT16 : DataType.FLOAT32;
  }

  /**
   * Refuses a model whose encoders the device cannot run: int8 (dynamically quantised) encoders on
   * a GPU, where libtorch has no kernels for {@code quantized::linear_dynamic}.
   */
  static void refuseUnsupported(ModelManifest manifest, boolean gpu) throws InvalidModelException {
    requireNonNull(manifest, "manifest");
    if (gpu && precisions(manifest).contains(Precision.INT8)) {
      throw new InvalidModelException(
          manifest.directory()
              + ": precision int8 on a GPU (expected: int8 models on --device cpu only, as libtorch"
              + " has no CUDA kernels for dynamically quantised linear layers; serve the float32,"
              + " float16 or bfloat16 copy on GPUs: tools/precision/convert.py)");
    }
  }

  /**
   * Why the model's precisions will be slow on this device, one sentence each; empty when they suit
   * it.
   *
   * @param cpu the CPU's feature flags, as {@link CpuFeatures} reads them; ignored on a GPU
   */
  static List<String> slowWarnings(ModelManifest manifest, boolean gpu, CpuFeatures cpu) {
    List<String> warnings = new ArrayList<>();
    if (gpu) {
      return warnings;
    }
    Set<Precision> used = precisions(manifest);
    String model = "model " + manifest.name() + ": ";
    if (used.contains(Precision.FLOAT16)) {
      warnings.add(
          model
              + "float16 encoders on the CPU run several times slower than float32 ones (half"
              + " precision is meant for GPUs; on the CPU use bfloat16 or int8)");
    }
    if (used.contains(Precision.BFLOAT16) && cpu.known() && !cpu.hasBfloat16()) {
      warnings.add(
          model
              + "bfloat16 encoders on a CPU without avx512_bf16 or amx_bf16 (CPU flags: "
              + cpu.describe()
              + ") are emulated and slower than float32; serve the float32 or int8 copy here");
    }
    if (used.contains(Precision.INT8) && cpu.known() && !cpu.hasInt8Dot()) {
      warnings.add(
          model
              + "int8 encoders on a CPU without VNNI or AVX2 (CPU flags: "
              + cpu.describe()
              + ") gain little or nothing over float32");
    }
    return warnings;
  }

  private static Set<Precision> precisions(ModelManifest manifest) {
    return EnumSet.of(manifest.image().precision(), manifest.text().precision());
  }
}
