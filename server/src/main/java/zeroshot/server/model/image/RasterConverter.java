package zeroshot.server.model.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Converts whatever an ImageIO reader returns into an 8-bit RGB or RGBA {@link DecodedImage}, the
 * way Pillow's {@code convert("RGB")} / {@code convert("RGBA")} would see the stored samples.
 *
 * <p>{@link BufferedImage#getRGB} is avoided for gray and RGB component images: it converts the
 * JDK's linear {@code CS_GRAY} to sRGB with a gamma curve (a mid-gray 128 becomes 186) and applies
 * embedded ICC profiles, while Pillow replicates gray levels unchanged and ignores profiles. Wider
 * samples (16-bit PNG) are rounded to the nearest 8-bit level, v / 257, where Pillow's own {@code
 * I;16} conversion would clip at 255.
 */
final class RasterConverter {
  private RasterConverter() {}

  static DecodedImage toDecoded(BufferedImage image) {
    ColorModel model = image.getColorModel();
    if (model instanceof IndexColorModel palette) {
      return fromPalette(image.getRaster(), palette);
    }
    if (model instanceof ComponentColorModel && isRawReadable(model)) {
      return fromComponents(image.getRaster(), model);
    }
    return fromArgb(image);
  }

  private static boolean isRawReadable(ColorModel model) {
    int space = model.getColorSpace().getType();
    int type = model.getTransferType();
    return (space == ColorSpace.TYPE_GRAY || space == ColorSpace.TYPE_RGB)
        && !model.isAlphaPremultiplied()
        && (type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT);
  }

  /** Palette images (PNG "P", GIF, low-bit gray PNG): look each index up; tRNS becomes alpha. */
  private static DecodedImage fromPalette(Raster raster, IndexColorModel palette) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    int channels = palette.hasAlpha() ? 4 : 3;
    byte[] out = new byte[width * height * channels];
    int[] row = new int[width];
    for (int y = 0, o = 0; y < height; y++) {
      raster.getSamples(0, y, width, 1, 0, row);
      for (int x = 0; x < width; x++, o += channels) {
        int argb = palette.getRGB(row[x]);
        putArgb(out, o, argb, channels);
      }
    }
    return new DecodedImage(width, height, channels, out);
  }

  /** Gray, gray + alpha, RGB and RGBA samples read as stored, scaled to 8 bits. */
  private static DecodedImage fromComponents(Raster raster, ColorModel model) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    int bands = raster.getNumBands();
    boolean gray = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    int channels = model.hasAlpha() ? 4 : 3;
    if (raster.getDataBuffer() instanceof DataBufferByte bytes
        && bytes.getNumBanks() == 1
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel layout
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && allEightBit(model)) {
      return fromInterleavedBytes(bytes, layout, width, height, gray, channels);
    }
    int[] max = new int[bands];
    for (int b = 0; b < bands; b++) {
      max[b] = (1 << model.getComponentSize(b)) - 1;
    }
    byte[] out = new byte[width * height * channels];
    int[] row = new int[width * bands];
    for (int y = 0, o = 0; y < height; y++) {
      raster.getPixels(0, y, width, 1, row);
      for (int x = 0, i = 0; x < width; x++, i += bands, o += channels) {
        for (int c = 0; c < 3; c++) {
          int band = gray ? 0 : c;
          out[o + c] = to8Bit(row[i + band], max[band]);
        }
        if (channels == 4) {
          out[o + 3] = to8Bit(row[i + bands - 1], max[bands - 1]);
        }
      }
    }
    return new DecodedImage(width, height, channels, out);
  }

  private static boolean allEightBit(ColorModel model) {
    for (int size : model.getComponentSize()) {
      if (size != 8) {
        return false;
      }
    }
    return true;
  }

  /**
   * The common case (8-bit PNG, and JPEG as the readers return it): the same samples as the general
   * path, read straight from the reader's byte array instead of one int per sample through {@code
   * Raster.getPixels}. Band offsets give the channel order (BGR for the JDK's JPEG images).
   */
  private static DecodedImage fromInterleavedBytes(
      DataBufferByte bytes,
      PixelInterleavedSampleModel layout,
      int width,
      int height,
      boolean gray,
      int channels) {
    byte[] data = bytes.getData();
    int[] offsets = layout.getBandOffsets();
    int pixelStride = layout.getPixelStride();
    int lineStride = layout.getScanlineStride();
    int start = bytes.getOffset();
    int r = offsets[0];
    int g = gray ? offsets[0] : offsets[1];
    int b = gray ? offsets[0] : offsets[2];
    int a = offsets[offsets.length - 1];
    byte[] out = new byte[width * height * channels];
    for (int y = 0, o = 0; y < height; y++) {
      for (int x = 0, p = start + y * lineStride; x < width; x++, p += pixelStride, o += channels) {
        out[o] = data[p + r];
        out[o + 1] = data[p + g];
        out[o + 2] = data[p + b];
        if (channels == 4) {
          out[o + 3] = data[p + a];
        }
      }
    }
    return new DecodedImage(width, height, channels, out);
  }

  /** Everything else (CMYK already converted by the reader, packed BMP pixels): sRGB ARGB. */
  private static DecodedImage fromArgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int channels = image.getColorModel().hasAlpha() ? 4 : 3;
    byte[] out = new byte[width * height * channels];
    int[] row = new int[width];
    for (int y = 0, o = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++, o += channels) {
        putArgb(out, o, row[x], channels);
      }
    }
    return new DecodedImage(width, height, channels, out);
  }

  private static void putArgb(byte[] out, int offset, int argb, int channels) {
    out[offset] = (byte) (argb >>> 16);
    out[offset + 1] = (byte) (argb >>> 8);
    out[offset + 2] = (byte) argb;
    if (channels == 4) {
      out[offset + 3] = (byte) (argb >>> 24);
    }
  }

  private static byte to8Bit(int sample, int max) {
    if (max == 255) {
      return (byte) sample;
    }
    return (byte) ((sample * 255L + max / 2) / max);
  }
}
