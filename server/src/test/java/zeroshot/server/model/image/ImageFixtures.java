package zeroshot.server.model.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test fixtures under {@code src/test/resources/images/}, drawn by {@code make_fixtures.py}. */
final class ImageFixtures {
  private ImageFixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = ImageFixtures.class.getResourceAsStream("/images/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture images/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code pattern_rgb} in the generator, for x < 16 and y < 12. */
  static int[] patternRgb(int x, int y) {
    return new int[] {16 * x + 5, 20 * y + 7, (37 * x + 53 * y) % 256};
  }

  /** {@code pattern_alpha} in the generator. */
  static int patternAlpha(int x, int y) {
    return (16 * x + 11 * y) % 256;
  }

  /** Channels of a 0xAARRGGBB pixel as {R, G, B, A}. */
  static int[] channels(int argb) {
    return new int[] {argb >>> 16 & 0xFF, argb >>> 8 & 0xFF, argb & 0xFF, argb >>> 24};
  }

  /** Reads a float32 little-endian tensor. */
  static float[] floats(byte[] littleEndian) {
    float[] out = new float[littleEndian.length / 4];
    ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
