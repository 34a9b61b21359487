package zeroshot.server.model;

import java.util.Locale;

/**
 * The floating-point type of an encoder's weights in its TorchScript file, as the manifest declares
 * it. Images reach a {@link #FLOAT16} image encoder as float16 tensors; every output is read back
 * as float32 and normalised in float32.
 */
public enum Precision {
  FLOAT32,
  /** Half precision: meant for GPUs; libtorch runs it on a CPU too, but several times slower. */
  FLOAT16;

  /** The manifest's spelling: {@code float32} or {@code float16}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
