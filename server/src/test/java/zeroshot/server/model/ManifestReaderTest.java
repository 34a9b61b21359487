package zeroshot.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zeroshot.server.model.image.Interpolation;
import zeroshot.server.model.image.PreprocessMode;

class ManifestReaderTest {
  @TempDir Path dir;

  @Test
  void readsTheBundledModel() throws Exception {
    ModelManifest m = ManifestReader.read(TestModels.tinyClip());

    assertThat(m.name()).isEqualTo("tiny-clip");
    assertThat(m.embeddingDim()).isEqualTo(128);
    assertThat(m.logitScale()).isBetween(1f, 100f);
    assertThat(m.image().inputSize()).isEqualTo(32);
    assertThat(m.image().preprocess().interpolation()).isEqualTo(Interpolation.BICUBIC);
    assertThat(m.image().torchscript()).isEqualTo(m.text().torchscript()).isRegularFile();
    assertThat(m.text().contextLength()).isEqualTo(16);
    assertThat(m.text().padId()).isZero();
    assertThat(m.image().precision()).isEqualTo(Precision.FLOAT32);
    assertThat(m.text().precision()).isEqualTo(Precision.FLOAT32);
    assertThat(m.image().preprocessMode()).isEqualTo(PreprocessMode.EXACT);
  }

  @Test
  void readsTheFastPreprocessMode() throws Exception {
    TestModels.copyOfTinyClip(dir);
    Path manifest = dir.resolve("model.json");
    JsonObject root = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
    image(root).addProperty("preprocess_mode", "fast");
    Files.writeString(manifest, root.toString());

    ModelManifest m = ManifestReader.read(dir);

    assertThat(m.image().preprocessMode()).isEqualTo(PreprocessMode.FAST);
    assertThat(m.withPreprocessMode(PreprocessMode.EXACT).image().preprocessMode())
        .isEqualTo(PreprocessMode.EXACT);
  }

  @Test
  void defaultsToClipWithSoftmaxScoring() throws Exception {
    ModelManifest m = ManifestReader.read(TestModels.tinyClip());

    assertThat(m.family()).isEqualTo(ModelFamily.CLIP);
    assertThat(m.scoring().kind()).isEqualTo(Scoring.Kind.SOFTMAX);
    assertThat(m.scoring().logitBias()).isZero();
  }

  @Test
  void readsSigmoidScoringWithItsBias() throws Exception {
    TestModels.copyOfTinyClip(dir);
    Path manifest = dir.resolve("model.json");
    JsonObject root = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
    root.addProperty("family", "siglip");
    root.addProperty("scoring", "sigmoid");
    root.addProperty("logit_scale", 117.33);
    root.addProperty("logit_bias", -12.93);
    Files.writeString(manifest, root.toString());

    ModelManifest m = ManifestReader.read(dir);

    assertThat(m.family()).isEqualTo(ModelFamily.SIGLIP);
    assertThat(m.scoring()).isEqualTo(Scoring.sigmoid(117.33f, -12.93f));
  }

  @Test
  void describesOpenAiClipVitB32() throws Exception {
    // The hand-written manifest in the docs must validate: the format describes real CLIPs.
    Path example = TestModels.repoRoot().resolve("docs/examples/clip-vit-b-32/model.json");
    Files.copy(example, dir.resolve("model.json"));
    Files.writeString(dir.resolve("image_encoder.pt"), "placeholder");
    Files.writeString(dir.resolve("text_encoder.pt"), "placeholder");
    Files.writeString(
        dir.resolve("tokenizer.json"), "{\"model\": {}, \"padding\": {\"pad_id\": 0}}");

    ModelManifest m = ManifestReader.read(dir);

    assertThat(m.embeddingDim()).isEqualTo(512);
    assertThat(m.logitScale()).isEqualTo(100f);
    assertThat(m.image().inputSize()).isEqualTo(224);
    assertThat(m.image().preprocess().resizeShortSide()).isEqualTo(224);
    assertThat(m.image().preprocess().mean()).containsExactly(0.48145466f, 0.4578275f, 0.40821073f);
    assertThat(m.image().preprocess().std()).containsExactly(0.26862954f, 0.26130258f, 0.27577711f);
    assertThat(m.image().torchscript()).isNotEqualTo(m.text().torchscript());
    assertThat(m.text().contextLength()).isEqualTo(77);
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        broken(
            "format_version",
            r -> r.addProperty("format_version", 2),
            "format_version: 2 (expected: an integer in 1..1)"),
        broken("no name", r -> r.remove("name"), "name: missing (expected: 1-64 letters"),
        broken(
            "bad name",
            r -> r.addProperty("name", "tiny clip!"),
            "name: \"tiny clip!\" (expected: 1-64 letters"),
        broken(
            "blank version",
            r -> r.addProperty("version", " "),
            "version: \" \" (expected: a non-blank string"),
        broken(
            "dim 0",
            r -> r.addProperty("embedding_dim", 0),
            "embedding_dim: 0 (expected: an integer in 1..65536)"),
        broken(
            "dim not integer",
            r -> r.addProperty("embedding_dim", 12.5),
            "embedding_dim: 12.5 (expected: an integer"),
        broken(
            "negative scale",
            r -> r.addProperty("logit_scale", -1),
            "logit_scale: -1 (expected: a number in (0.0, 1000.0]"),
        broken(
            "scale as text",
            r -> r.addProperty("logit_scale", "100"),
            "logit_scale: \"100\" (expected: a number"),
        broken(
            "unknown family",
            r -> r.addProperty("family", "blip"),
            "family: \"blip\" (expected: clip, siglip or siglip2)"),
        broken(
            "unknown scoring",
            r -> r.addProperty("scoring", "softplus"),
            "scoring: \"softplus\" (expected: softmax or sigmoid)"),
        broken(
            "sigmoid without bias",
            r -> r.addProperty("scoring", "sigmoid"),
            "logit_bias: missing (expected: a number: scoring \"sigmoid\" needs the model's bias)"),
        broken(
            "softmax with bias",
            r -> r.addProperty("logit_bias", -10),
            "logit_bias: -10 (expected: absent: only scoring \"sigmoid\" uses a bias)"),
        broken(
            "typo",
            r -> r.add("embeding_dim", r.get("embedding_dim")),
            "embeding_dim: unknown field (nearest known field: embedding_dim; expected one of: ["),
        broken("no image", r -> r.remove("image"), "image: missing (expected: an object)"),
        broken(
            "missing file",
            r -> image(r).addProperty("torchscript", "nope.pt"),
            "image.torchscript: 'nope.pt' (expected: an existing file"),
        broken(
            "escaping file",
            r -> image(r).addProperty("torchscript", "../../etc/passwd"),
            "image.torchscript: '../../etc/passwd' (expected: a file inside"),
        broken(
            "bad method",
            r -> image(r).addProperty("method", "encode image"),
            "image.method: \"encode image\" (expected: a TorchScript method name)"),
        broken(
            "unknown precision",
            r -> image(r).addProperty("precision", "int4"),
            "image.precision: \"int4\" (expected: float32, float16, bfloat16 or int8)"),
        broken(
            "unknown preprocess mode",
            r -> image(r).addProperty("preprocess_mode", "draft"),
            "image.preprocess_mode: \"draft\" (expected: exact or fast)"),
        broken(
            "size 0",
            r -> image(r).addProperty("size", 0),
            "image.size: 0 (expected: an integer in 1..4096)"),
        broken(
            "resize below size",
            r -> resize(r).addProperty("shortest_edge", 16),
            "image.resize.shortest_edge: 16 (expected: an integer in 32..4096)"),
        broken(
            "unknown filter",
            r -> resize(r).addProperty("interpolation", "lanczos"),
            "image.resize.interpolation: \"lanczos\" (expected: bicubic, bilinear or nearest)"),
        broken(
            "crop size",
            r -> image(r).getAsJsonObject("crop").addProperty("size", 30),
            "image.crop.size: 30 (expected: an integer in 32..32)"),
        broken(
            "crop type",
            r -> image(r).getAsJsonObject("crop").addProperty("type", "random"),
            "image.crop.type: \"random\" (expected: center)"),
        broken(
            "two means",
            r -> image(r).add("mean", json("[0.5, 0.5]")),
            "image.mean: [0.5,0.5] (expected: 3 numbers)"),
        broken(
            "zero std",
            r -> image(r).add("std", json("[0.2, 0, 0.2]")),
            "image.std[1]: 0 (expected: > 0.0)"),
        broken(
            "text mean",
            r -> image(r).add("mean", json("[0.5, \"x\", 0.5]")),
            "image.mean[1]: \"x\" (expected: a finite number)"),
        broken(
            "no tokenizer",
            r -> text(r).addProperty("tokenizer", "vocab.json"),
            "text.tokenizer: 'vocab.json' (expected: an existing file"),
        broken(
            "context 0",
            r -> text(r).addProperty("context_length", 0),
            "text.context_length: 0 (expected: an integer in 1..4096)"),
        broken(
            "pad id differs",
            r -> text(r).addProperty("pad_id", 5),
            "tokenizer.json: padding.pad_id: 0 (expected: 5, the text.pad_id of model.json)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenManifests")
  void rejectsBrokenManifestNamingFileFieldAndExpectation(
      String name, Consumer<JsonObject> breakIt, String message) throws IOException {
    TestModels.copyOfTinyClip(dir);
    Path manifest = dir.resolve("model.json");
    JsonObject root = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
    breakIt.accept(root);
    Files.writeString(manifest, root.toString());

    assertThatThrownBy(() -> ManifestReader.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(message)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void rejectsDirectoryWithoutManifest() {
    assertThatThrownBy(() -> ManifestReader.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("model.json: missing (expected: a model manifest");
  }

  @Test
  void rejectsManifestThatIsNotJson() throws IOException {
    Files.writeString(dir.resolve("model.json"), "name: tiny");

    assertThatThrownBy(() -> ManifestReader.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("model.json: cannot be read as JSON");
  }

  @Test
  void rejectsTokenizerWithoutPaddingBlock() throws IOException {
    TestModels.copyOfTinyClip(dir);
    Path tokenizer = dir.resolve("tokenizer.json");
    JsonObject tok = JsonParser.parseString(Files.readString(tokenizer)).getAsJsonObject();
    tok.remove("padding");
    Files.writeString(tokenizer, tok.toString());

    assertThatThrownBy(() -> ManifestReader.read(dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("tokenizer.json: padding: missing (expected: a padding block");
  }

  private static Arguments broken(String name, Consumer<JsonObject> change, String message) {
    return Arguments.of(name, change, message);
  }

  private static JsonObject image(JsonObject root) {
    return root.getAsJsonObject("image");
  }

  private static JsonObject resize(JsonObject root) {
    return image(root).getAsJsonObject("resize");
  }

  private static JsonObject text(JsonObject root) {
    return root.getAsJsonObject("text");
  }

  private static JsonElement json(String text) {
    return JsonParser.parseString(text);
  }
}
