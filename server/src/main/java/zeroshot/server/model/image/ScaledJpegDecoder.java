package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.List;

/**
 * Decodes a JPEG at full, 1/2, 1/4 or 1/8 size with libjpeg-turbo's TurboJPEG library: at a reduced
 * size the inverse DCT produces the small image directly, so a 12-megapixel photo costs a fraction
 * of its full decode, and the library's SIMD code makes every decode about three times as fast as
 * the JDK's.
 *
 * <p>The library is the operating system's ({@code libturbojpeg.so.0}, Debian's and Ubuntu's
 * package {@code libturbojpeg0}, Ubuntu's {@code libturbojpeg}), reached through JNA, and is loaded
 * only when {@link #load()} runs. Like Pillow, TurboJPEG ignores ICC profiles and EXIF orientation;
 * {@link ImageDecoder} applies orientation the same way in both modes. Thread-safe: each decode
 * uses its own handle.
 */
public final class ScaledJpegDecoder {
  /** What an operator installs when {@link #load()} fails. */
  public static final String EXPECTED =
      "libjpeg-turbo's TurboJPEG library, libturbojpeg.so.0"
          + " (Debian: apt-get install libturbojpeg0; Ubuntu: libturbojpeg)";

  private ScaledJpegDecoder() {}

  /**
   * Loads TurboJPEG (once per process) and returns a decoder.
   *
   * @throws IllegalStateException when the library is not installed or cannot be loaded
   */
  public static ScaledJpegDecoder load() {
    return load(TurboJpeg.NAMES);
  }

  /** As {@link #load()}, looking for the library under {@code names}, tried in turn. */
  static ScaledJpegDecoder load(List<String> names) {
    try {
      TurboJpeg.register(names);
      return new ScaledJpegDecoder();
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException(
          "preprocess mode fast: the JPEG library could not be loaded ("
              + e.getMessage()
              + "; expected: "
              + EXPECTED
              + ")",
          e);
    }
  }

  /**
   * Decodes {@code jpeg}, a {@code fullWidth} × {@code fullHeight} picture, at 1/{@code
   * denominator} size into RGB, or returns null when TurboJPEG cannot decode it cleanly (any
   * warning counts) or its size is not the expected one; the caller then decodes the exact way,
   * which reports what is wrong.
   */
  DecodedImage decode(byte[] jpeg, int denominator, int fullWidth, int fullHeight) {
    requireNonNull(jpeg, "jpeg");
    if (denominator != 1 && denominator != 2 && denominator != 4 && denominator != 8) {
      throw new IllegalArgumentException(
          "denominator: " + denominator + " (expected: 1, 2, 4 or 8)");
    }
    Pointer handle = TurboJpeg.tjInitDecompress();
    if (handle == null) {
      return null;
    }
    try {
      NativeLong size = new NativeLong(jpeg.length);
      int[] width = new int[1];
      int[] height = new int[1];
      int[] subsampling = new int[1];
      int[] colorspace = new int[1];
      if (TurboJpeg.tjDecompressHeader3(handle, jpeg, size, width, height, subsampling, colorspace)
              != 0
          || width[0] != fullWidth
          || height[0] != fullHeight
          // YCbCr, gray and RGB only: CMYK and YCCK keep the exact path's conversion.
          || !(colorspace[0] == TurboJpeg.TJCS_YCBCR
              || colorspace[0] == TurboJpeg.TJCS_GRAY
              || colorspace[0] == TurboJpeg.TJCS_RGB)) {
        return null;
      }
      int scaledWidth = JpegScale.scaled(fullWidth, denominator);
      int scaledHeight = JpegScale.scaled(fullHeight, denominator);
      byte[] pixels =
          new byte[Math.multiplyExact(Math.multiplyExact(scaledWidth, scaledHeight), 3)];
      int status =
          TurboJpeg.tjDecompress2(
              handle,
              jpeg,
              size,
              pixels,
              scaledWidth,
              0,
              scaledHeight,
              TurboJpeg.TJPF_RGB,
              TurboJpeg.TJFLAG_STOPONWARNING);
      return status == 0
          ? new DecodedImage(scaledWidth, scaledHeight, 3, pixels, fullWidth, fullHeight)
          : null;
    } finally {
      TurboJpeg.tjDestroy(handle);
    }
  }

  /**
   * TurboJPEG's C API as of libjpeg-turbo 2.0 (still present in 3.x), direct-mapped. The default
   * decode is libjpeg's accurate integer IDCT and fancy upsampling, as in Pillow and the JDK.
   */
  private static final class TurboJpeg {
    static final int TJPF_RGB = 0;
    static final int TJCS_RGB = 0;
    static final int TJCS_YCBCR = 1;
    static final int TJCS_GRAY = 2;
    static final int TJFLAG_STOPONWARNING = 8192;

    /** The library names tried in turn: the runtime package's, then a development symlink. */
    static final List<String> NAMES = List.of("libturbojpeg.so.0", "turbojpeg");

    private static boolean registered;

    /**
     * Finds the library under the first of {@code names} that loads; binds it once.
     *
     * @throws UnsatisfiedLinkError naming, in one line, why the first name did not load (JNA's own
     *     message lists every path and the whole class path it searched)
     */
    static synchronized void register(List<String> names) {
      String reason = "no library name to try";
      for (String name : names) {
        NativeLibrary library;
        try {
          library = NativeLibrary.getInstance(name);
        } catch (UnsatisfiedLinkError e) {
          if (name.equals(names.get(0))) {
            reason = dlopenLine(e.getMessage(), name);
          }
          continue;
        }
        if (!registered) {
          Native.register(TurboJpeg.class, library);
          registered = true;
        }
        return;
      }
      throw new UnsatisfiedLinkError(reason);
    }

    /** The system loader's own line about {@code name}, else JNA's first line. */
    private static String dlopenLine(String message, String name) {
      String[] lines = String.valueOf(message).split("\\R");
      for (String line : lines) {
        if (line.startsWith(name + ":")) {
          return line.strip();
        }
      }
      return lines[0].strip();
    }

    static native Pointer tjInitDecompress();

    static native int tjDecompressHeader3(
        Pointer handle,
        byte[] jpeg,
        NativeLong size,
        int[] width,
        int[] height,
        int[] subsampling,
        int[] colorspace);

    static native int tjDecompress2(
        Pointer handle,
        byte[] jpeg,
        NativeLong size,
        byte[] destination,
        int width,
        int pitch,
        int height,
        int pixelFormat,
        int flags);

    static native int tjDestroy(Pointer handle);
  }
}
