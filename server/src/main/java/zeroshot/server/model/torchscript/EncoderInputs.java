package zeroshot.server.model.torchscript;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import zeroshot.server.model.image.Geometry;
import zeroshot.server.model.image.NaFlexTensor;
import zeroshot.server.model.text.TokenIds;

/**
 * Packs a batch into the tensors an encoder method takes, all in one direct buffer that the caller
 * reuses (a buffer per call, freed only by GC, lets native memory climb):
 *
 * <ul>
 *   <li>fixed-size images: {@code pixels float32[B,3,S,S]};
 *   <li>NaFlex images ({@link NaFlexTensor}): {@code pixel_values float32[B,P,3p²]}, {@code
 *       pixel_attention_mask int64[B,P]} (1 for each image's real patches) and {@code
 *       spatial_shapes int64[B,2]} (patch rows, columns) — items with different patch counts batch
 *       together, padded to P and masked;
 *   <li>texts: {@code ids int64[B,L]}, and {@code mask int64[B,L]} only when the manifest passes
 *       one (the official SigLIP checkpoints run without).
 * </ul>
 */
final class EncoderInputs {
  private EncoderInputs() {}

  /** Bytes {@link #images} needs for {@code batch} tensors of {@code geometry}. */
  static long imageBytes(Geometry geometry, int batch) {
    if (geometry instanceof Geometry.Patches p) {
      long patches = (long) batch * p.maxPatches();
      return patches * Long.BYTES
          + 2L * batch * Long.BYTES
          + patches * NaFlexTensor.patchLength(p.patchSize()) * Float.BYTES;
    }
    return (long) batch * geometry.tensorLength() * Float.BYTES;
  }

  /**
   * The image method's arguments for {@code pixels}, each of {@code geometry.tensorLength()}
   * floats, created in {@code scope} over {@code buffer} (at least {@link #imageBytes}).
   *
   * @throws IllegalArgumentException if a tensor has the wrong length or layout
   */
  static List<PtNDArray> images(
      PtNDManager scope, ByteBuffer buffer, Geometry geometry, List<float[]> pixels) {
    int batch = pixels.size();
    for (float[] image : pixels) {
      if (image.length != geometry.tensorLength()) {
        throw new IllegalArgumentException(
            "image tensor: "
                + image.length
                + " floats (expected: "
                + geometry.tensorLength()
                + ")");
      }
    }
    if (!(geometry instanceof Geometry.Patches p)) {
      int size = geometry.inputSize();
      ByteBuffer data = floats(buffer, pixels, geometry.tensorLength());
      return List.of(scope.create(data, new Shape(batch, 3, size, size), DataType.FLOAT32));
    }
    int maxPatches = p.maxPatches();
    long[] mask = new long[batch * maxPatches];
    long[] shapes = new long[batch * 2];
    for (int b = 0; b < batch; b++) {
      float[] image = pixels.get(b);
      int real = NaFlexTensor.patches(image);
      if (real > maxPatches) {
        throw new IllegalArgumentException(
            "image tensor: " + real + " patches (expected: at most " + maxPatches + ")");
      }
      Arrays.fill(mask, b * maxPatches, b * maxPatches + real, 1L);
      shapes[2 * b] = NaFlexTensor.rows(image);
      shapes[2 * b + 1] = NaFlexTensor.columns(image);
    }
    // The int64 tensors first, so that each starts 8-byte aligned.
    ByteBuffer maskData = longs(buffer, mask);
    ByteBuffer shapeData = longs(buffer, shapes);
    int patchLength = NaFlexTensor.patchLength(p.patchSize());
    ByteBuffer patchData = floats(buffer, pixels, maxPatches * patchLength);
    return List.of(
        scope.create(patchData, new Shape(batch, maxPatches, patchLength), DataType.FLOAT32),
        scope.create(maskData, new Shape(batch, maxPatches), DataType.INT64),
        scope.create(shapeData, new Shape(batch, 2), DataType.INT64));
  }

  /** Bytes {@link #texts} needs for {@code batch} texts of {@code length} ids. */
  static long textBytes(int batch, int length) {
    return 2L * batch * length * Long.BYTES;
  }

  /** The text method's arguments: the ids, then the attention mask when {@code withMask}. */
  static List<PtNDArray> texts(
      PtNDManager scope, ByteBuffer buffer, TokenIds tokens, int length, boolean withMask) {
    long[][] ids = tokens.ids();
    Shape shape = new Shape(ids.length, length);
    PtNDArray idTensor = scope.create(longs(buffer, ids), shape, DataType.INT64);
    if (!withMask) {
      return List.of(idTensor);
    }
    return List.of(
        idTensor, scope.create(longs(buffer, tokens.attentionMask()), shape, DataType.INT64));
  }

  /** Writes the first {@code count} floats of each tensor at the buffer's position. */
  private static ByteBuffer floats(ByteBuffer buffer, List<float[]> tensors, int count) {
    ByteBuffer out = next(buffer, (long) tensors.size() * count * Float.BYTES);
    for (float[] t : tensors) {
      out.asFloatBuffer().put(t, 0, count);
      out.position(out.position() + count * Float.BYTES);
    }
    return out.flip();
  }

  private static ByteBuffer longs(ByteBuffer buffer, long[] values) {
    ByteBuffer out = next(buffer, (long) values.length * Long.BYTES);
    out.asLongBuffer().put(values);
    return out;
  }

  private static ByteBuffer longs(ByteBuffer buffer, long[][] rows) {
    int count = 0;
    for (long[] row : rows) {
      count += row.length;
    }
    ByteBuffer out = next(buffer, (long) count * Long.BYTES);
    for (long[] row : rows) {
      out.asLongBuffer().put(row);
      out.position(out.position() + row.length * Long.BYTES);
    }
    return out.flip();
  }

  /** The next {@code bytes} of {@code buffer} as a native-order slice; advances the buffer. */
  private static ByteBuffer next(ByteBuffer buffer, long bytes) {
    if (bytes > buffer.remaining()) {
      throw new IllegalStateException(
          "input buffer: " + buffer.remaining() + " bytes left (expected: " + bytes + ")");
    }
    ByteBuffer out = buffer.slice().order(ByteOrder.nativeOrder());
    out.limit((int) bytes);
    buffer.position(buffer.position() + (int) bytes);
    return out;
  }
}
