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
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.TestModels;

/**
 * What CLIP preprocessing costs per 224 px image on one thread, split into decode and preprocess
 * (resize, crop, normalise), for a JPEG photo (tools/clip/tests/preprocess/rocket.jpg, 640x427) and
 * the same photo scaled up to 2048x1365 (2.8 MP, re-encoded at quality 0.9); the same for SigLIP's
 * 224 px square and SigLIP 2 NaFlex's 256 patches of 16 px on the 640x427 photo; and what JPEG
 * source subsampling (ImageIO's reduced-resolution read) saves and how far it moves the tensor from
 * the full decode, which is exact against CLIP's reference. Prints numbers and writes
 * server/target/benchmarks/preprocess.json; asserts nothing. It lives in the image package to
 * decode with the server's own read settings. Run:
 *
 * <pre>
 * mvn -B -o -pl server -am test -Dtest=PreprocessBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.excluded=none -Dgroups=benchmark
 * </pre>
 */
@Tag("benchmark")
class PreprocessBenchmark {
  private static final int WARM_UP = 30;
  private static final ImageDecoder DECODER = new ImageDecoder(50_000_000L);
  private static final ImagePreprocessor PREPROCESSOR =
      new ImagePreprocessor(PreprocessSpec.openAiClip(224));
  private static final ImagePreprocessor SIGLIP = new ImagePreprocessor(PreprocessSpec.siglip(224));
  private static final ImagePreprocessor NAFLEX =
      new ImagePreprocessor(PreprocessSpec.siglip2NaFlex(16, 256));

  @Test
  void decodeAndPreprocessCostPerImage() throws Exception {
    Path dir = TestModels.clipReferencePhotos();
    byte[] photo = Files.readAllBytes(dir.resolve("rocket.jpg"));
    float[] reference =
        ImageFixtures.floats(Files.readAllBytes(dir.resolve("rocket.jpg.clip224.f32")));
    byte[] large = upscaledJpeg(photo, 2048, 1365);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("threads", 1);
    report.put("rocket_640x427", costs(photo, 300, PREPROCESSOR, reference));
    report.put("rocket_2048x1365", costs(large, 60, PREPROCESSOR, null));
    report.put("rocket_640x427_siglip224", costs(photo, 300, SIGLIP, null));
    report.put("rocket_640x427_naflex256", costs(photo, 300, NAFLEX, null));
    Map<String, Object> subsampled = new LinkedHashMap<>();
    float[] full = PREPROCESSOR.toTensor(DECODER.decode(large));
    for (int factor : new int[] {2, 4, 6}) {
      subsampled.put("factor_" + factor, subsampledCost(large, factor, 60, full));
    }
    report.put("rocket_2048x1365_subsampled_vs_full_decode", subsampled);

    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    System.out.println(json);
    Path out = Path.of("target/benchmarks/preprocess.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
  }

  /** Decode and preprocess times (ms, p50/p90/mean) and, given a reference, the difference. */
  private static Map<String, Object> costs(
      byte[] jpeg, int runs, ImagePreprocessor preprocessor, float[] reference) throws Exception {
    Histogram decode = new Histogram(3);
    Histogram preprocess = new Histogram(3);
    float[] tensor = null;
    for (int i = 0; i < WARM_UP + runs; i++) {
      long t0 = System.nanoTime();
      DecodedImage image = DECODER.decode(jpeg);
      long t1 = System.nanoTime();
      tensor = preprocessor.toTensor(image);
      long t2 = System.nanoTime();
      if (i >= WARM_UP) {
        decode.recordValue(t1 - t0);
        preprocess.recordValue(t2 - t1);
      }
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("bytes", jpeg.length);
    row.put("runs", runs);
    row.put("decode_ms", millis(decode));
    row.put("preprocess_ms", millis(preprocess));
    if (reference != null) {
      row.put("vs_clip_reference", difference(tensor, reference));
    }
    return row;
  }

  private static Map<String, Object> subsampledCost(byte[] jpeg, int factor, int runs, float[] full)
      throws Exception {
    Histogram decode = new Histogram(3);
    Histogram preprocess = new Histogram(3);
    float[] tensor = null;
    int[] size = null;
    for (int i = 0; i < WARM_UP + runs; i++) {
      long t0 = System.nanoTime();
      DecodedImage image = decodeSubsampled(jpeg, factor);
      long t1 = System.nanoTime();
      tensor = PREPROCESSOR.toTensor(image);
      long t2 = System.nanoTime();
      size = new int[] {image.width(), image.height()};
      if (i >= WARM_UP) {
        decode.recordValue(t1 - t0);
        preprocess.recordValue(t2 - t1);
      }
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("decoded_size", size[0] + "x" + size[1]);
    row.put("decode_ms", millis(decode));
    row.put("preprocess_ms", millis(preprocess));
    row.put("vs_full_decode", difference(tensor, full));
    return row;
  }

  /** As ImageDecoder, but keeping every {@code factor}-th pixel of every factor-th row. */
  private static DecodedImage decodeSubsampled(byte[] jpeg, int factor) throws Exception {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      ImageReader reader = ImageReaders.find(in);
      try {
        reader.setInput(in);
        ImageReadParam param = ImageReaders.paramFor(reader, "jpeg");
        param.setSourceSubsampling(factor, factor, 0, 0);
        return RasterConverter.toDecoded(reader.read(0, param));
      } finally {
        reader.dispose();
      }
    }
  }

  private static byte[] upscaledJpeg(byte[] jpeg, int width, int height) throws Exception {
    BufferedImage source = ImageIO.read(new ByteArrayInputStream(jpeg));
    BufferedImage big = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = big.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(source, 0, 0, width, height, null);
    g.dispose();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.setOutput(out);
      writer.write(null, new IIOImage(big, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static Map<String, Object> difference(float[] actual, float[] expected) {
    double sum = 0;
    for (int i = 0; i < actual.length; i++) {
      sum += Math.abs(actual[i] - expected[i]);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("max_abs_diff", round(ImageFixtures.maxAbsDiff(actual, expected), 6));
    row.put("mean_abs_diff", round(sum / actual.length, 6));
    row.put("cosine", round(ImageFixtures.cosine(actual, expected), 7));
    return row;
  }

  private static Map<String, Object> millis(Histogram h) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("p50", round(h.getValueAtPercentile(50) / 1e6, 2));
    row.put("p90", round(h.getValueAtPercentile(90) / 1e6, 2));
    row.put("mean", round(h.getMean() / 1e6, 2));
    return row;
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
