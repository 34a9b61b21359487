package zeroshot.server.model.image;

import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import zeroshot.server.model.image.InvalidImageException.Reason;

/** Picks the ImageIO reader for a stream and the read settings that make it behave like PIL. */
final class ImageReaders {
  static final String EXPECTED_FORMATS = "JPEG, PNG, GIF, BMP or WebP";
  private static final Set<String> SUPPORTED = Set.of("jpeg", "png", "gif", "bmp", "webp");

  private ImageReaders() {}

  /**
   * Returns a reader for a supported format, preferring ImageIO's order (TwelveMonkeys' JPEG reader
   * before the JDK's); the caller disposes it.
   */
  static ImageReader find(ImageInputStream in) throws InvalidImageException {
    List<String> others = new ArrayList<>();
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      String format = format(reader);
      if (SUPPORTED.contains(format)) {
        return reader;
      }
      reader.dispose();
      // WBMP has no magic number, so its reader claims many random byte strings.
      if (!format.equals("wbmp")) {
        others.add(format);
      }
    }
    if (!others.isEmpty()) {
      throw new InvalidImageException(
          Reason.UNSUPPORTED_FORMAT,
          String.format(
              "image format %s is not supported (expected: %s)", others.get(0), EXPECTED_FORMATS));
    }
    throw new InvalidImageException(
        Reason.NOT_AN_IMAGE,
        String.format(
            "no image format recognised in the first bytes (expected: a %s file)",
            EXPECTED_FORMATS));
  }

  /** Returns the lower-case format name, "jpeg" for every JPEG reader. */
  static String format(ImageReader reader) {
    String name = reader.getOriginatingProvider().getFormatNames()[0].toLowerCase(Locale.ROOT);
    return name.equals("jpg") ? "jpeg" : name;
  }

  /**
   * Returns read settings that keep an RGB or gray JPEG's samples as stored. The readers would
   * otherwise convert an embedded ICC profile (often Adobe RGB) to sRGB, moving every pixel by
   * several levels; PIL ignores the profile, and CLIP was trained on what PIL returns. CMYK and
   * YCCK still go through the reader's conversion to RGB.
   */
  static ImageReadParam paramFor(ImageReader reader, String format) throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    if (!format.equals("jpeg")) {
      return param;
    }
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    if (raw != null) {
      ColorModel model = raw.getColorModel();
      int space = model.getColorSpace().getType();
      if (model instanceof ComponentColorModel
          && (space == ColorSpace.TYPE_RGB || space == ColorSpace.TYPE_GRAY)) {
        param.setDestinationType(raw);
      }
    }
    return param;
  }
}
