package zeroshot.server.model.image;

import com.google.gson.GsonBuilder;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.model.TestModels;

/**
 * Exact against fast preprocessing, ms per 224 px tensor on one thread (decode + resize + crop +
 * normalise), per image size: 64x64, 640x427, 1920x1080 and 4032x3024 JPEG and a 1024x1024 PNG, all
 * made at run time from tools/clip/tests/preprocess/rocket.jpg (scaled bicubically, JPEG quality
 * 0.9, 4:2:0), and the photo itself (640x427, 4:4:4). Writes the images to
 * server/target/benchmarks/preprocess-fast/ for tools/bench/pillow_preprocess.py, which times
 * Pillow exact and draft on the same files, and server/target/benchmarks/preprocess-fast.json;
 * asserts nothing. Run both with tools/bench/preprocess_fast.sh.
 */
@EnabledIf(
    value = "zeroshot.server.model.image.TurboJpegInstalled#check",
    disabledReason = TurboJpegInstalled.MISSING)
@Tag("benchmark")
class FastPreprocessBenchmark {
  private static final PreprocessSpec SPEC = PreprocessSpec.openAiClip(224);
  private static final ImagePreprocessor PREPROCESSOR = new ImagePreprocessor(SPEC);
  private static final ImageDecoder DECODER =
      new ImageDecoder(50_000_000L, ScaledJpegDecoder.load());

  @Test
  void exactAgainstFastPerImageSize() throws Exception {
    Path dir = TestModels.clipReferencePhotos();
    byte[] rocket = Files.readAllBytes(dir.resolve("rocket.jpg"));
    Path out = Path.of("target/benchmarks/preprocess-fast");
    Files.createDirectories(out);
    Map<String, byte[]> images = new LinkedHashMap<>();
    images.put("jpeg_64x64.jpg", JpegFiles.scaled(rocket, 64, 64));
    images.put("jpeg_640x427.jpg", rocket);
    // The photo itself is 4:4:4 at high quality (112 KB); the other sizes, like most web and
    // phone JPEGs, are 4:2:0 (ImageIO's encoder at quality 0.9), which decodes in less time.
    images.put("jpeg_640x427_q90.jpg", JpegFiles.scaled(rocket, 640, 427));
    images.put("jpeg_1920x1080.jpg", JpegFiles.scaled(rocket, 1920, 1080));
    images.put("jpeg_4032x3024.jpg", JpegFiles.scaled(rocket, 4032, 3024));
    images.put("png_1024x1024.png", png(rocket, 1024, 1024));

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("threads", 1);
    report.put("source", "tools/clip/tests/preprocess/rocket.jpg, scaled bicubically");
    Map<String, Object> rows = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : images.entrySet()) {
      Files.write(out.resolve(e.getKey()), e.getValue());
      rows.put(e.getKey(), compare(e.getValue()));
    }
    report.put("images", rows);
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    System.out.println(json);
    Files.writeString(Path.of("target/benchmarks/preprocess-fast.json"), json);
  }

  private static Map<String, Object> compare(byte[] encoded) throws Exception {
    // Enough runs for a stable median in about 10 s per mode for the largest image.
    DecodedImage full = DECODER.decode(encoded);
    long pixels = (long) full.width() * full.height();
    int runs = (int) Math.max(20, Math.min(300, 300_000_000L / Math.max(pixels, 1) / 10));
    float[] exact = PREPROCESSOR.toTensor(full);
    DecodedImage scaled = DECODER.decode(encoded, PreprocessMode.FAST, SPEC.resizeShortSide());
    float[] fast = PREPROCESSOR.toTensor(scaled);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("bytes", encoded.length);
    row.put("size", full.width() + "x" + full.height());
    row.put("fast_decoded_size", scaled.width() + "x" + scaled.height());
    row.put("runs", runs);
    row.put("exact_ms", time(encoded, PreprocessMode.EXACT, runs));
    row.put("fast_ms", time(encoded, PreprocessMode.FAST, runs));
    double[] levels = levels(fast, exact);
    row.put("fast_vs_exact_max_levels", levels[0]);
    row.put("fast_vs_exact_mean_levels", round(levels[1], 4));
    return row;
  }

  private static Map<String, Object> time(byte[] encoded, PreprocessMode mode, int runs)
      throws Exception {
    // Warm-up: a fifth of the runs and at least 2 s, so that the JIT has recompiled for this size
    // (a 12 MP image measured after 5 warm-up runs once took 30 ms at p50 instead of 20).
    long warmUpEnd = System.nanoTime() + 2_000_000_000L;
    for (int i = 0; i < Math.max(5, runs / 5) || System.nanoTime() < warmUpEnd; i++) {
      PREPROCESSOR.toTensor(DECODER.decode(encoded, mode, SPEC.resizeShortSide()));
    }
    Histogram h = new Histogram(3);
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      PREPROCESSOR.toTensor(DECODER.decode(encoded, mode, SPEC.resizeShortSide()));
      h.recordValue(System.nanoTime() - t0);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("p50", round(h.getValueAtPercentile(50) / 1e6, 2));
    row.put("mean", round(h.getMean() / 1e6, 2));
    return row;
  }

  /** Max and mean absolute difference in 8-bit levels, undoing CLIP's normalisation. */
  private static double[] levels(float[] a, float[] b) {
    float[] std = SPEC.std();
    int plane = a.length / 3;
    double max = 0;
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]) * std[i / plane] * 255;
      max = Math.max(max, d);
      sum += d;
    }
    return new double[] {Math.round(max * 1000) / 1000.0, sum / a.length};
  }

  private static byte[] png(byte[] image, int width, int height) throws Exception {
    BufferedImage source = ImageIO.read(new ByteArrayInputStream(image));
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(source, 0, 0, width, height, null);
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(out, "png", bytes);
    return bytes.toByteArray();
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
