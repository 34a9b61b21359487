package zeroshot.server.model.image;

import static java.util.Objects.requireNonNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import zeroshot.server.model.image.InvalidImageException.Reason;

/**
 * Decodes JPEG, PNG, GIF (first frame), BMP and WebP bytes, or raw RGB/RGBA pixels, into a {@link
 * DecodedImage}.
 *
 * <p>The declared size is checked against {@code maxPixels} from the header alone, before any pixel
 * buffer is allocated, so a small file declaring a huge image costs nothing.
 *
 * <p>Where this differs from PIL, and so from CLIP's reference preprocessing: JPEG EXIF orientation
 * is applied (PIL ignores it; see {@link ExifOrientation}); palette images become RGB(A) here and
 * are later resized with the spec's filter, whereas Pillow forces NEAREST on "P" images because
 * averaging palette indices is meaningless. After conversion the values are colours, so the
 * smoother filter is valid and gives what the same picture saved as RGB gets; 16-bit samples are
 * rounded to 8 bits, where Pillow clips. Like PIL, embedded ICC profiles are ignored (see {@link
 * ImageReaders#paramFor}).
 *
 * <p>Thread-safe: each call creates, and disposes, its own reader and in-memory stream, and no
 * ImageIO global (such as the disk cache setting) is touched.
 */
public final class ImageDecoder {
  private final long maxPixels;

  /** Decodes fast-mode JPEGs; null when no model asked for {@link PreprocessMode#FAST}. */
  private final ScaledJpegDecoder scaledJpeg;

  /** Creates an exact-mode decoder that refuses images with more than {@code maxPixels} pixels. */
  public ImageDecoder(long maxPixels) {
    this(maxPixels, null);
  }

  /** As above, also serving {@link PreprocessMode#FAST} with {@code scaledJpeg} (null: none). */
  public ImageDecoder(long maxPixels, ScaledJpegDecoder scaledJpeg) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels: " + maxPixels + " (expected: > 0)");
    }
    this.maxPixels = maxPixels;
    this.scaledJpeg = scaledJpeg;
  }

  /** Decodes an encoded image at full size; for animated GIF and WebP only the first frame. */
  public DecodedImage decode(byte[] encoded) throws InvalidImageException {
    return decode(encoded, PreprocessMode.EXACT, 1);
  }

  /**
   * Decodes an encoded image that will be resized to {@code resizeShortSide} on its short side, as
   * {@link #decode(byte[], PreprocessMode, Geometry)} with a {@link Geometry.CenterCrop}.
   */
  public DecodedImage decode(byte[] encoded, PreprocessMode mode, int resizeShortSide)
      throws InvalidImageException {
    if (resizeShortSide <= 0) {
      throw new IllegalArgumentException(
          "resizeShortSide: " + resizeShortSide + " (expected: > 0)");
    }
    return decode(encoded, mode, new Geometry.CenterCrop(resizeShortSide, resizeShortSide));
  }

  /**
   * Decodes an encoded image that will be resized as {@code geometry} says. In {@link
   * PreprocessMode#FAST} a JPEG is decoded at the DCT scale {@link JpegScale} picks; anything the
   * scaled decode does not cover (other formats, CMYK, a cut-off file, a failed decode) is decoded
   * at full size, as in {@link PreprocessMode#EXACT}.
   *
   * @throws IllegalStateException in fast mode when this decoder was built without a {@link
   *     ScaledJpegDecoder}
   */
  public DecodedImage decode(byte[] encoded, PreprocessMode mode, Geometry geometry)
      throws InvalidImageException {
    requireNonNull(encoded, "encoded");
    requireNonNull(mode, "mode");
    requireNonNull(geometry, "geometry");
    if (mode == PreprocessMode.FAST && scaledJpeg == null) {
      throw new IllegalStateException(
          "mode: FAST (expected: EXACT, or a decoder built with a ScaledJpegDecoder)");
    }
    if (encoded.length == 0) {
      throw new InvalidImageException(
          Reason.EMPTY,
          "image is 0 bytes (expected: a " + ImageReaders.EXPECTED_FORMATS + " file)");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      ImageReader reader = ImageReaders.find(in);
      try {
        String format = ImageReaders.format(reader);
        reader.setInput(in);
        DecodedImage decoded =
            mode == PreprocessMode.FAST && format.equals("jpeg")
                ? scaledJpeg(reader, encoded, geometry)
                : null;
        if (decoded == null) {
          decoded = RasterConverter.toDecoded(read(reader, format));
        }
        return format.equals("jpeg")
            ? ExifOrientation.apply(decoded, ExifOrientation.read(encoded))
            : decoded;
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      // Only close() of the in-memory stream throws here; read failures are mapped in read().
      throw DecodeFailures.of("image", "stream", e);
    }
  }

  /** Wraps raw interleaved 8-bit pixels: {@code channels} 3 is RGB, 4 is RGBA, row-major. */
  public DecodedImage fromRawPixels(byte[] pixels, int width, int height, int channels)
      throws InvalidImageException {
    requireNonNull(pixels, "pixels");
    if (channels != 3 && channels != 4) {
      throw new InvalidImageException(
          Reason.BAD_RAW_PIXELS, "channels: " + channels + " (expected: 3 for RGB or 4 for RGBA)");
    }
    if (width <= 0 || height <= 0) {
      // A negative int is a size over 2^31 - 1 sent as an unsigned 32-bit proto field.
      throw new InvalidImageException(
          Reason.BAD_RAW_PIXELS,
          "raw image size: "
              + Integer.toUnsignedString(width)
              + "x"
              + Integer.toUnsignedString(height)
              + " (expected: width and height 1 to "
              + Integer.MAX_VALUE
              + ")");
    }
    checkPixelCount(width, height);
    long expected = (long) width * height * channels;
    if (pixels.length != expected) {
      throw new InvalidImageException(
          Reason.BAD_RAW_PIXELS,
          String.format(
              "raw pixels: %d bytes for %dx%dx%d (expected: %d)",
              pixels.length, width, height, channels, expected));
    }
    // Copy: the caller keeps its array, and DecodedImage must stay immutable.
    return new DecodedImage(width, height, channels, pixels.clone());
  }

  /**
   * The fast-mode JPEG decode, or null where it does not apply; then the exact path runs and
   * reports any problem with the file in its own words.
   */
  private DecodedImage scaledJpeg(ImageReader reader, byte[] jpeg, Geometry geometry) {
    if (!JpegCompleteness.endsAfterFirstScan(jpeg)) {
      return null;
    }
    int width;
    int height;
    try {
      width = reader.getWidth(0);
      height = reader.getHeight(0);
      if ((long) width * height > maxPixels) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    int denominator = JpegScale.denominator(width, height, geometry);
    return scaledJpeg.decode(jpeg, denominator, width, height);
  }

  private BufferedImage read(ImageReader reader, String format) throws InvalidImageException {
    ImageReadParam param;
    try {
      checkPixelCount(reader.getWidth(0), reader.getHeight(0));
      param = ImageReaders.paramFor(reader, format);
    } catch (IOException | RuntimeException e) {
      throw DecodeFailures.of(format, "header", e);
    }
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    BufferedImage image;
    try {
      image = reader.read(0, param);
    } catch (IOException | RuntimeException e) {
      throw DecodeFailures.of(format, "data", e);
    }
    // JPEG readers fill a cut-off image with gray and only warn; a partial photo is refused.
    for (String warning : warnings) {
      if (DecodeFailures.looksTruncated(warning)) {
        throw DecodeFailures.truncated(format.toUpperCase(Locale.ROOT), "data", null);
      }
    }
    return image;
  }

  private void checkPixelCount(int width, int height) throws InvalidImageException {
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new InvalidImageException(
          Reason.TOO_MANY_PIXELS,
          String.format(
              "image declares %dx%d = %d pixels (expected: at most %d)",
              width, height, pixels, maxPixels));
    }
  }
}
