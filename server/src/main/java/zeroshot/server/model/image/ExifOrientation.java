package zeroshot.server.model.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads the EXIF orientation tag (1–8) of a JPEG and turns a decoded image upright.
 *
 * <p>Phone cameras store pixels in sensor order and record the rotation in EXIF; without this a
 * portrait photo reaches the model lying on its side. PIL, and so CLIP's reference preprocessing,
 * ignores the tag, so this is a deliberate deviation for real-world uploads.
 */
final class ExifOrientation {
  static final int NORMAL = 1;

  private ExifOrientation() {}

  /** Returns the orientation tag, or {@link #NORMAL} when absent or unreadable. */
  static int read(byte[] jpeg) {
    try (ImageInputStream in = stream(new ByteArrayInputStream(jpeg))) {
      for (JPEGSegment segment : JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif")) {
        try (InputStream data = segment.data()) {
          // The identifier "Exif" consumed one NUL; skip the pad byte before the TIFF header.
          data.mark(1);
          if (data.read() != 0) {
            data.reset();
          }
          Directory exif = new TIFFReader().read(stream(data));
          Entry entry = exif.getEntryById(TIFF.TAG_ORIENTATION);
          if (entry != null && entry.getValue() instanceof Number n) {
            int value = n.intValue();
            return value >= 1 && value <= 8 ? value : NORMAL;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Broken metadata must not reject an image whose pixels decode fine.
    }
    return NORMAL;
  }

  /** Returns {@code image} as it should be displayed under {@code orientation}. */
  static DecodedImage apply(DecodedImage image, int orientation) {
    if (orientation == NORMAL) {
      return image;
    }
    int w = image.width();
    int h = image.height();
    int channels = image.channels();
    // Tags 5-8 swap the axes; then each source axis may run backwards (EXIF 2.3, table 4.6.4).
    boolean swapsAxes = orientation >= 5;
    boolean flipsX = orientation == 2 || orientation == 3 || orientation == 7 || orientation == 8;
    boolean flipsY = orientation == 3 || orientation == 4 || orientation == 6 || orientation == 7;
    int outWidth = swapsAxes ? h : w;
    int outHeight = swapsAxes ? w : h;
    byte[] in = image.pixels();
    byte[] out = new byte[in.length];
    for (int y = 0, o = 0; y < outHeight; y++) {
      for (int x = 0; x < outWidth; x++, o += channels) {
        int alongX = swapsAxes ? y : x;
        int alongY = swapsAxes ? x : y;
        int sx = flipsX ? w - 1 - alongX : alongX;
        int sy = flipsY ? h - 1 - alongY : alongY;
        System.arraycopy(in, (sy * w + sx) * channels, out, o, channels);
      }
    }
    int fullWidth = swapsAxes ? image.fullHeight() : image.fullWidth();
    int fullHeight = swapsAxes ? image.fullWidth() : image.fullHeight();
    return new DecodedImage(outWidth, outHeight, channels, out, fullWidth, fullHeight);
  }

  private static ImageInputStream stream(InputStream in) {
    return new MemoryCacheImageInputStream(in);
  }
}
