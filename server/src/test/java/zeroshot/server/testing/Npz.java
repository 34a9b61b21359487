package zeroshot.server.testing;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A NumPy {@code .npz} archive (a zip of {@code .npy} files, stored or deflated, as {@code
 * numpy.savez} and {@code savez_compressed} write them) read into memory, for reference data in
 * tests. Each array is little-endian float32 ({@code <f4}), int64 ({@code <i8}) or uint8 ({@code
 * |u1}) in C order; anything else is refused rather than misread.
 */
public final class Npz {
  private final Map<String, Array> arrays;

  private Npz(Map<String, Array> arrays) {
    this.arrays = arrays;
  }

  /** Reads a classpath resource, e.g. {@code /siglip/siglip_inputs.npz}. */
  public static Npz resource(String name) {
    try (InputStream in = Npz.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads an archive from {@code in}, which stays open. */
  public static Npz read(InputStream in) throws IOException {
    Map<String, Array> arrays = new LinkedHashMap<>();
    ZipInputStream zip = new ZipInputStream(in);
    for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
      String name = entry.getName();
      if (!name.endsWith(".npy")) {
        throw new IOException("npz entry " + name + " (expected: a .npy file)");
      }
      arrays.put(name.substring(0, name.length() - 4), Array.parse(zip.readAllBytes()));
    }
    return new Npz(arrays);
  }

  /** Reads an archive held in memory. */
  public static Npz read(byte[] npz) throws IOException {
    return read(new ByteArrayInputStream(npz));
  }

  /** Returns the array names, in archive order, without {@code .npy}. */
  public Set<String> names() {
    return arrays.keySet();
  }

  /** Returns the array called {@code name}. */
  public Array get(String name) {
    Array array = arrays.get(requireNonNull(name, "name"));
    if (array == null) {
      throw new IllegalArgumentException("array: " + name + " (expected: one of " + names() + ")");
    }
    return array;
  }

  /**
   * One {@code .npy} array: its type, shape and little-endian data.
   *
   * @param descr NumPy's type string: {@code <f4}, {@code <i8} or {@code |u1}
   * @param shape the dimensions, outermost first; empty for a scalar
   */
  public record Array(String descr, int[] shape, ByteBuffer data) {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Parses a whole {@code .npy} file, format version 1, 2 or 3. */
    public static Array parse(byte[] npy) throws IOException {
      ByteBuffer in = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
      if (npy.length < 10 || !Arrays.equals(Arrays.copyOf(npy, 6), MAGIC)) {
        throw new IOException("not a .npy file (expected: \\x93NUMPY magic)");
      }
      int major = npy[6];
      int headerLength = major == 1 ? Short.toUnsignedInt(in.getShort(8)) : in.getInt(8);
      int dataStart = (major == 1 ? 10 : 12) + headerLength;
      String header =
          new String(npy, major == 1 ? 10 : 12, headerLength, StandardCharsets.ISO_8859_1);
      String descr = group(DESCR, header, "descr");
      if (itemSize(descr) == 0) {
        throw new IOException("descr: " + descr + " (expected: <f4, <i8 or |u1)");
      }
      boolean fortran = group(ORDER, header, "fortran_order").equals("True");
      int[] shape =
          Arrays.stream(group(SHAPE, header, "shape").split(","))
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .mapToInt(Integer::parseInt)
              .toArray();
      long count = Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact);
      long bytes = count * itemSize(descr);
      if (npy.length - dataStart != bytes) {
        throw new IOException(
            String.format(
                "data: %d bytes for %s %s (expected: %d)",
                npy.length - dataStart, descr, Arrays.toString(shape), bytes));
      }
      byte[] raw = Arrays.copyOfRange(npy, dataStart, dataStart + (int) bytes);
      if (fortran) {
        raw = toCOrder(raw, shape, itemSize(descr));
      }
      ByteBuffer data = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      return new Array(descr, shape, data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Reorders column-major elements (numpy's {@code fortran_order}, e.g. a transpose) to rows. */
    private static byte[] toCOrder(byte[] fortran, int[] shape, int itemSize) {
      int count = fortran.length / itemSize;
      byte[] out = new byte[fortran.length];
      int[] index = new int[shape.length];
      for (int f = 0; f < count; f++) {
        // f walks the first axis fastest; find the same element's row-major position.
        int c = 0;
        for (int d = 0; d < shape.length; d++) {
          c = c * shape[d] + index[d];
        }
        System.arraycopy(fortran, f * itemSize, out, c * itemSize, itemSize);
        for (int d = 0; d < shape.length && ++index[d] == shape[d]; d++) {
          index[d] = 0;
        }
      }
      return out;
    }

    /** Returns a copy of the shape. */
    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** Returns the number of elements. */
    public int size() {
      return data.capacity() / itemSize(descr);
    }

    /** Returns the elements of a float32 array, in C order. */
    public float[] floats() {
      require("<f4");
      float[] out = new float[size()];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }

    /** Returns the elements of an int64 array, in C order. */
    public long[] longs() {
      require("<i8");
      long[] out = new long[size()];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
      return out;
    }

    /** Returns the elements of a uint8 array, in C order (read them with {@code & 0xFF}). */
    public byte[] bytes() {
      require("|u1");
      byte[] out = new byte[size()];
      data.duplicate().get(out);
      return out;
    }

    private void require(String expected) {
      if (!descr.equals(expected)) {
        throw new IllegalStateException("dtype: " + descr + " (expected: " + expected + ")");
      }
    }

    /** Bytes per element, or 0 for a type this reader does not take. */
    private static int itemSize(String descr) {
      return switch (descr) {
        case "<f4" -> 4;
        case "<i8" -> 8;
        case "|u1" -> 1;
        default -> 0;
      };
    }

    private static String group(Pattern pattern, String header, String key) throws IOException {
      Matcher m = pattern.matcher(header);
      if (!m.find()) {
        throw new IOException("npy header without '" + key + "': " + header.strip());
      }
      return m.group(1);
    }
  }
}
