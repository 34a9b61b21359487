package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

import nu.pattern.OpenCV;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Decodes a JPEG at 1/2, 1/4 or 1/8 size with libjpeg-turbo's DCT scaling, through OpenCV's {@code
 * imdecode} ({@code IMREAD_REDUCED_COLOR_*}): the inverse DCT produces the small image directly, so
 * a 12-megapixel photo costs a fraction of its full decode.
 *
 * <p>The native library ships inside the OpenCV jar and is copied to a new directory under {@code
 * java.io.tmpdir} when {@link #load()} runs (about 65 MB, removed at exit); nothing is downloaded.
 * Like PIL, OpenCV ignores ICC profiles; its own EXIF rotation is turned off, so that {@link
 * ImageDecoder} applies orientation the same way in both modes. Thread-safe: it holds no state.
 */
public final class ScaledJpegDecoder {
  private ScaledJpegDecoder() {}

  /**
   * Loads OpenCV's native library (once per process) and returns a decoder.
   *
   * @throws IllegalStateException when the library cannot be extracted or loaded, e.g. on a
   *     platform whose native the server jar leaves out or with an unwritable temporary directory
   */
  public static ScaledJpegDecoder load() {
    try {
      OpenCV.loadLocally();
      return new ScaledJpegDecoder();
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException(
          "preprocess mode fast: OpenCV's native library could not be loaded ("
              + e
              + "; expected: linux-x86_64 and a writable, executable java.io.tmpdir)",
          e);
    }
  }

  /**
   * Decodes {@code jpeg}, a {@code fullWidth} × {@code fullHeight} picture, at 1/{@code
   * denominator} size into RGB, or returns null when OpenCV cannot decode it or its size is not the
   * expected one (the caller then decodes the exact way, which reports what is wrong).
   */
  DecodedImage decode(byte[] jpeg, int denominator, int fullWidth, int fullHeight) {
    requireNonNull(jpeg, "jpeg");
    int flags =
        switch (denominator) {
          case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
          case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
          case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
          default ->
              throw new IllegalArgumentException(
                  "denominator: " + denominator + " (expected: 2, 4 or 8)");
        };
    MatOfByte encoded = new MatOfByte(jpeg);
    Mat bgr = Imgcodecs.imdecode(encoded, flags | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
    try {
      int width = bgr.cols();
      int height = bgr.rows();
      if (bgr.empty()
          || bgr.channels() != 3
          || !bgr.isContinuous()
          || width != JpegScale.scaled(fullWidth, denominator)
          || height != JpegScale.scaled(fullHeight, denominator)) {
        return null;
      }
      byte[] pixels = new byte[width * height * 3];
      bgr.get(0, 0, pixels);
      for (int i = 0; i < pixels.length; i += 3) {
        byte blue = pixels[i];
        pixels[i] = pixels[i + 2];
        pixels[i + 2] = blue;
      }
      return new DecodedImage(width, height, 3, pixels, fullWidth, fullHeight);
    } finally {
      bgr.release();
      encoded.release();
    }
  }
}
