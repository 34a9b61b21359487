package zeroshot.client.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Deterministic PNG images for a load run without an image folder: a coloured background with a few
 * filled shapes, the same for the same count, size and seed, so runs compare like with like.
 */
public final class GeneratedImages {

  private GeneratedImages() {}

  /** Returns {@code count} PNG images of {@code width} x {@code height} pixels. */
  public static List<byte[]> png(int count, int width, int height, long seed) {
    if (count < 1 || width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "count " + count + ", size " + width + "x" + height + " (expected: all >= 1)");
    }
    Random random = new Random(seed);
    List<byte[]> images = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      images.add(encode(draw(width, height, random)));
    }
    return images;
  }

  private static BufferedImage draw(int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillRect(0, 0, width, height);
      for (int s = 0; s < 3; s++) {
        g.setColor(new Color(random.nextInt(0x1000000)));
        int w = 1 + random.nextInt(width);
        int h = 1 + random.nextInt(height);
        int x = random.nextInt(width);
        int y = random.nextInt(height);
        if (random.nextBoolean()) {
          g.fillOval(x - w / 2, y - h / 2, w, h);
        } else {
          g.fillRect(x - w / 2, y - h / 2, w, h);
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    return out.toByteArray();
  }
}
