package zeroshot.server.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint.CycleMethod;
import java.awt.Paint;
import java.awt.RadialGradientPaint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.TexturePaint;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Coloured shapes drawn with Java2D: a renderer written apart from the one tiny-clip is trained on
 * ({@code tools/tinyclip/shapes.py}, Pillow and numpy), with its own palette, its own geometry
 * ({@code java.awt.geom} areas: a heart is a square and two discs, a cross two bars) and its own
 * backgrounds. It is for evaluation only and must never produce training data.
 */
final class Java2dShapes {
  static final List<String> COLOURS =
      List.of("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown");
  static final List<String> SHAPES =
      List.of("circle", "square", "triangle", "star", "heart", "cross", "crescent", "diamond");

  /** The backgrounds, each evaluated on its own; the first four are the plain ones. */
  enum Background {
    WHITE,
    BLACK,
    GREY,
    FLAT_COLOUR,
    GRADIENT,
    NOISY,
    TEXTURED;

    boolean plain() {
      return ordinal() <= FLAT_COLOUR.ordinal();
    }
  }

  // Material Design's 600 shades (pink: 200, brown: 600), as a designer's tool would paint them.
  private static final Color[] PALETTE = {
    new Color(0xE53935),
    new Color(0xFB8C00),
    new Color(0xFDD835),
    new Color(0x43A047),
    new Color(0x1E88E5),
    new Color(0x8E24AA),
    new Color(0xF48FB1),
    new Color(0x6D4C41),
  };
  // Background colours at least this far (RGB distance) from the shape's, so that it has an edge.
  private static final double MIN_CONTRAST = 120;

  private Java2dShapes() {}

  /**
   * Draws {@code SHAPES[shape]} in {@code COLOURS[colour]}, anti-aliased, 30 to 80 % of the image
   * wide, off-centre, rotated by up to 30 degrees either way, on {@code background}.
   */
  static BufferedImage render(Random rng, int colour, int shape, Background background, int size) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    Color ink = PALETTE[colour];
    paintBackground(g, img, rng, ink, background, size);
    double extent = size * (0.3 + 0.5 * rng.nextDouble());
    // A rotated shape reaches a little beyond half its extent; keep most of it in the picture.
    double margin = Math.min(size / 2.0, extent * 0.6);
    AffineTransform at = new AffineTransform();
    at.translate(
        margin + rng.nextDouble() * (size - 2 * margin),
        margin + rng.nextDouble() * (size - 2 * margin));
    at.rotate(Math.toRadians(-30 + 60 * rng.nextDouble()));
    g.setColor(ink);
    g.fill(at.createTransformedShape(fit(outline(SHAPES.get(shape)), extent)));
    g.dispose();
    return img;
  }

  /** The shape in its own units, centred anywhere: {@link #fit} scales and centres it. */
  private static Shape outline(String shape) {
    switch (shape) {
      case "circle":
        return new Ellipse2D.Double(-1, -1, 2, 2);
      case "square":
        return new RoundRectangle2D.Double(-1, -1, 2, 2, 0.3, 0.3);
      case "triangle":
        return polygon(0, -1, 1, 0.75, -1, 0.75);
      case "star":
        {
          double[] xy = new double[20];
          for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? 1 : 0.382; // a regular pentagram's inner radius
            double a = -Math.PI / 2 + i * Math.PI / 5;
            xy[2 * i] = r * Math.cos(a);
            xy[2 * i + 1] = r * Math.sin(a);
          }
          return polygon(xy);
        }
      case "heart":
        {
          // A square standing on a corner, with a disc on each of its two upper sides.
          Area heart = new Area(new Rectangle2D.Double(-1, -1, 2, 2));
          heart.transform(AffineTransform.getRotateInstance(Math.PI / 4));
          double c = Math.sqrt(2) / 2;
          heart.add(new Area(new Ellipse2D.Double(-c - 1, -c - 1, 2, 2)));
          heart.add(new Area(new Ellipse2D.Double(c - 1, -c - 1, 2, 2)));
          return heart;
        }
      case "cross":
        {
          Area cross = new Area(new Rectangle2D.Double(-1, -0.3, 2, 0.6));
          cross.add(new Area(new Rectangle2D.Double(-0.3, -1, 0.6, 2)));
          return cross;
        }
      case "crescent":
        {
          Area moon = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
          moon.subtract(new Area(new Ellipse2D.Double(-0.45, -1.05, 1.8, 1.8)));
          return moon;
        }
      case "diamond":
        return polygon(0, -1, 0.62, 0, 0, 1, -0.62, 0);
      default:
        throw new IllegalArgumentException(
            "shape: " + shape + " (expected: one of " + SHAPES + ")");
    }
  }

  private static Shape polygon(double... xy) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) {
      p.lineTo(xy[i], xy[i + 1]);
    }
    p.closePath();
    return p;
  }

  /** {@code shape} centred on the origin, its longer side {@code extent} pixels. */
  private static Shape fit(Shape shape, double extent) {
    Rectangle2D b = shape.getBounds2D();
    double scale = extent / Math.max(b.getWidth(), b.getHeight());
    AffineTransform at = AffineTransform.getScaleInstance(scale, scale);
    at.translate(-b.getCenterX(), -b.getCenterY());
    return at.createTransformedShape(shape);
  }

  private static void paintBackground(
      Graphics2D g, BufferedImage img, Random rng, Color ink, Background kind, int size) {
    switch (kind) {
      case WHITE -> g.setPaint(Color.WHITE);
      case BLACK -> g.setPaint(Color.BLACK);
      case GREY -> g.setPaint(far(rng, ink, true));
      case FLAT_COLOUR, NOISY -> g.setPaint(far(rng, ink, false));
      case GRADIENT -> g.setPaint(gradient(rng, ink, size));
      case TEXTURED -> g.setPaint(texture(rng, ink, size));
    }
    g.fill(new Rectangle(0, 0, size, size));
    if (kind == Background.NOISY) {
      double sigma = 15 + 20 * rng.nextDouble();
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int rgb = img.getRGB(x, y);
          int r = noisy((rgb >> 16) & 0xFF, rng, sigma);
          int gr = noisy((rgb >> 8) & 0xFF, rng, sigma);
          int b = noisy(rgb & 0xFF, rng, sigma);
          img.setRGB(x, y, (r << 16) | (gr << 8) | b);
        }
      }
    }
  }

  private static int noisy(int v, Random rng, double sigma) {
    return (int) Math.max(0, Math.min(255, Math.round(v + rng.nextGaussian() * sigma)));
  }

  private static Paint gradient(Random rng, Color ink, int size) {
    Color a = far(rng, ink, false);
    Color b = far(rng, ink, false);
    if (rng.nextBoolean()) {
      return new RadialGradientPaint(
          (float) (size * rng.nextDouble()),
          (float) (size * rng.nextDouble()),
          size * (0.5f + rng.nextFloat()),
          new float[] {0f, 1f},
          new Color[] {a, b},
          CycleMethod.NO_CYCLE);
    }
    double t = 2 * Math.PI * rng.nextDouble();
    float dx = (float) (Math.cos(t) * size / 2);
    float dy = (float) (Math.sin(t) * size / 2);
    return new GradientPaint(size / 2f - dx, size / 2f - dy, a, size / 2f + dx, size / 2f + dy, b);
  }

  /** Checks, diagonal stripes or dots of two colours, as a repeated tile. */
  private static Paint texture(Random rng, Color ink, int size) {
    int tile = Math.max(4, size / (4 + rng.nextInt(9)));
    BufferedImage t = new BufferedImage(tile, tile, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = t.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(far(rng, ink, false));
    g.fillRect(0, 0, tile, tile);
    g.setColor(far(rng, ink, false));
    int half = tile / 2;
    switch (rng.nextInt(3)) {
      case 0 -> {
        g.fillRect(0, 0, half, half);
        g.fillRect(half, half, tile - half, tile - half);
      }
      case 1 -> g.fill(polygon(0, 0, half, 0, tile, tile, half, tile));
      default -> g.fill(new Ellipse2D.Double(tile * 0.2, tile * 0.2, tile * 0.6, tile * 0.6));
    }
    g.dispose();
    return new TexturePaint(t, new Rectangle(0, 0, tile, tile));
  }

  /** A random colour (or grey) at least {@link #MIN_CONTRAST} from {@code ink}. */
  private static Color far(Random rng, Color ink, boolean grey) {
    while (true) {
      int v = 40 + rng.nextInt(180);
      Color c =
          grey
              ? new Color(v, v, v)
              : new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256));
      double dr = c.getRed() - ink.getRed();
      double dg = c.getGreen() - ink.getGreen();
      double db = c.getBlue() - ink.getBlue();
      if (Math.sqrt(dr * dr + dg * dg + db * db) >= MIN_CONTRAST) {
        return c;
      }
    }
  }
}
