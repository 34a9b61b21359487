package zeroshot.server.model.image;

/**
 * Tells whether a JPEG's compressed data reaches its end-of-image marker, without decoding it.
 *
 * <p>libjpeg decodes a cut-off file by filling the rest with gray and only warns. The fast path
 * asks TurboJPEG to stop on warnings, but checks first so that such a file goes straight to the
 * exact path, which refuses it in its own words, without a wasted partial decode. Inside the
 * entropy-coded data a 0xFF byte is always followed by 0x00 or a restart marker, so an EOI (0xFFD9)
 * after the first start-of-scan can only be the image's own end. Looking for it from the back also
 * accepts data appended after EOI (phones add trailers and motion-photo videos there); an EOI
 * inside an EXIF thumbnail, before the first scan, does not count.
 */
final class JpegCompleteness {
  private static final int MARKER = 0xFF;
  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;

  private JpegCompleteness() {}

  /** Returns whether {@code jpeg} has an EOI marker after its first start-of-scan marker. */
  static boolean endsAfterFirstScan(byte[] jpeg) {
    int scan = firstScan(jpeg);
    if (scan < 0) {
      return false;
    }
    for (int i = jpeg.length - 2; i > scan; i--) {
      if ((jpeg[i] & 0xFF) == MARKER && (jpeg[i + 1] & 0xFF) == EOI) {
        return true;
      }
    }
    return false;
  }

  /** Offset of the first SOS marker, walking the segments from SOI; -1 when not well formed. */
  private static int firstScan(byte[] jpeg) {
    int n = jpeg.length;
    if (n < 4 || (jpeg[0] & 0xFF) != MARKER || (jpeg[1] & 0xFF) != 0xD8) {
      return -1;
    }
    int i = 2;
    while (i + 1 < n) {
      if ((jpeg[i] & 0xFF) != MARKER) {
        return -1;
      }
      int marker = jpeg[i + 1] & 0xFF;
      if (marker == MARKER) {
        i++; // fill byte before a marker
        continue;
      }
      if (marker == SOS) {
        return i;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2; // markers without a length field
        continue;
      }
      if (i + 3 >= n) {
        return -1;
      }
      int length = (jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF;
      if (length < 2) {
        return -1;
      }
      i += 2 + length;
    }
    return -1;
  }
}
