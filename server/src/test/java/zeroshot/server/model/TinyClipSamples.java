package zeroshot.server.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import zeroshot.server.model.image.DecodedImage;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.image.InvalidImageException;

/** The bundled model's sample files, labels, Python evaluation and reference embeddings. */
public final class TinyClipSamples {
  public static final Path DIR = TestModels.tinyClip().resolve("samples");

  /** One row of {@code samples/labels.csv}. */
  public record Sample(String file, String kind, String label) {}

  private TinyClipSamples() {}

  public static List<Sample> all() {
    try {
      return Files.readAllLines(DIR.resolve("labels.csv")).stream()
          .skip(1)
          .filter(line -> !line.isBlank())
          .map(line -> line.split(",", -1))
          .map(f -> new Sample(f[0], f[1], f[2]))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject evalJson() {
    return readJson(TestModels.tinyClip().resolve("eval.json"));
  }

  public static JsonObject referenceEmbeddings() {
    return readJson(DIR.resolve("reference_embeddings.json"));
  }

  /** Decodes and preprocesses a sample file as the server will. */
  public static float[] tensor(String file, ModelManifest manifest) {
    try {
      DecodedImage image =
          new ImageDecoder(50_000_000L).decode(Files.readAllBytes(DIR.resolve(file)));
      return new ImagePreprocessor(manifest.image().preprocess()).toTensor(image);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InvalidImageException e) {
      throw new AssertionError(file + ": " + e.getMessage(), e);
    }
  }

  private static JsonObject readJson(Path file) {
    try {
      return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
