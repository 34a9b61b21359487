package zeroshot.server.model;

import java.util.Locale;

/**
 * The number type of an encoder's weights in its TorchScript file, as the manifest declares it.
 * Images reach a {@link #FLOAT16} image encoder as float16 tensors; {@link #BFLOAT16} and {@link
 * #INT8} encoders take float32 like float32 ones (tools/precision/convert.py writes the cast into a
 * bfloat16 tower). Every output is read back as float32 and normalised in float32.
 */
public enum Precision {
  FLOAT32,
  /** Half precision: meant for GPUs; libtorch runs it on a CPU too, but several times slower. */
  FLOAT16,
  /**
   * bfloat16: float32's range with 8 bits of mantissa. Fast on CPUs with AVX-512 BF16 or AMX (and
   * on GPUs); emulated, and slower than float32, on CPUs without them.
   */
  BFLOAT16,
  /**
   * Dynamic int8 quantisation of the linear layers ({@code quantized::linear_dynamic}): int8
   * weights, activations quantised per batch at run time, everything else float32. CPU only:
   * libtorch has no CUDA kernels for it.
   */
  INT8;

  /**
   * The manifest's spelling: {@code float32}, {@code float16}, {@code bfloat16} or {@code int8}.
   */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
