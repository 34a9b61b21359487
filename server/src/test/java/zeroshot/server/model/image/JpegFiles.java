package zeroshot.server.model.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Large JPEGs made at test time from small photos (large files are never committed): scaled up
 * smoothly, or tiled so that full-resolution detail reaches every part of the picture.
 */
public final class JpegFiles {
  private JpegFiles() {}

  /**
   * {@code image} (any format ImageIO reads) drawn bicubically at {@code width} × {@code height}.
   */
  public static byte[] scaled(byte[] image, int width, int height) {
    BufferedImage source = read(image);
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(source, 0, 0, width, height, null);
    g.dispose();
    return encode(out, 0.9f);
  }

  /** {@code image} repeated at its own size, mirrored every other tile, to fill the size. */
  public static byte[] tiled(byte[] image, int width, int height) {
    BufferedImage source = read(image);
    int w = source.getWidth();
    int h = source.getHeight();
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    for (int ty = 0; ty * h < height; ty++) {
      for (int tx = 0; tx * w < width; tx++) {
        // Mirroring keeps tile edges continuous, as in a photo, instead of adding hard seams.
        int x0 = tx % 2 == 0 ? tx * w : (tx + 1) * w;
        int y0 = ty % 2 == 0 ? ty * h : (ty + 1) * h;
        int x1 = tx % 2 == 0 ? (tx + 1) * w : tx * w;
        int y1 = ty % 2 == 0 ? (ty + 1) * h : ty * h;
        g.drawImage(source, x0, y0, x1, y1, 0, 0, w, h, null);
      }
    }
    g.dispose();
    return encode(out, 0.9f);
  }

  /** {@code jpeg} with an EXIF APP1 segment holding only the orientation tag, after APP0. */
  static byte[] withOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
    tiff.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
    tiff.putShort((short) 1); // one IFD entry
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // Orientation, SHORT, count 1
    tiff.putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0); // no next IFD
    byte[] exif = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
    int length = 2 + exif.length + tiff.capacity();
    int insertAt = 2;
    if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
      insertAt = 4 + ((jpeg[4] & 0xFF) << 8 | jpeg[5] & 0xFF);
    }
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
    out.put(jpeg, 0, insertAt);
    out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exif).put(tiff.array());
    out.put(jpeg, insertAt, jpeg.length - insertAt);
    return out.array();
  }

  private static BufferedImage read(byte[] image) {
    try {
      return ImageIO.read(new ByteArrayInputStream(image));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] encode(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
