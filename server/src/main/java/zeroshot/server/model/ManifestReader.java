package zeroshot.server.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import zeroshot.server.model.ModelManifest.ImageEncoderSpec;
import zeroshot.server.model.ModelManifest.TextEncoderSpec;
import zeroshot.server.model.image.Geometry;
import zeroshot.server.model.image.Interpolation;
import zeroshot.server.model.image.PreprocessMode;
import zeroshot.server.model.image.PreprocessSpec;
import zeroshot.server.model.text.TokenizerSpec;
import zeroshot.server.model.text.TokenizerType;

/**
 * Reads and validates a model directory's {@code model.json} (format described in {@code
 * docs/model-format.md}). Reading never loads weights: it checks fields, that the files exist
 * inside the directory, and that the tokenizer pads with the id the manifest declares.
 */
public final class ManifestReader {
  /** The only manifest format this server reads. */
  public static final int FORMAT_VERSION = 1;

  static final int MAX_IMAGE_SIZE = 4096;
  static final int MAX_PATCH_SIZE = 64;
  static final int MAX_PATCHES = 4096;
  static final int MAX_CONTEXT_LENGTH = 4096;
  static final int MAX_EMBEDDING_DIM = 65_536;
  static final double MAX_LOGIT_SCALE = 1000;
  static final double MAX_LOGIT_BIAS = 1000;

  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
  private static final String METHOD = "[A-Za-z_][A-Za-z0-9_]*";

  private ManifestReader() {}

  /** Reads {@code directory/model.json}; the returned manifest's paths are absolute. */
  public static ModelManifest read(Path directory) throws InvalidModelException {
    Path dir = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new InvalidModelException(dir + ": not a directory (expected: a model directory)");
    }
    Path file = dir.resolve(ModelManifest.FILE_NAME);
    JsonFields root =
        new JsonFields(file, "", parseObject(file, "a model manifest, see docs/model-format.md"));
    root.allowOnly(
        "format_version",
        "name",
        "version",
        "description",
        "family",
        "embedding_dim",
        "scoring",
        "logit_scale",
        "logit_bias",
        "image",
        "text");
    root.integer("format_version", FORMAT_VERSION, FORMAT_VERSION);
    String name = root.string("name", NAME, "1-64 letters, digits, '.', '_' or '-'");
    String version = root.string("version", "\\S.{0,63}", "a non-blank string of 1-64 chars");
    ModelFamily family = family(root);
    int dim = (int) root.integer("embedding_dim", 1, MAX_EMBEDDING_DIM);
    Scoring scoring = scoring(root);
    ImageEncoderSpec image = readImage(dir, root.object("image"));
    TextEncoderSpec text = readText(dir, root.object("text"));
    return new ModelManifest(dir, name, version, family, dim, scoring, image, text);
  }

  /** {@code family}: clip when absent. */
  private static ModelFamily family(JsonFields root) throws InvalidModelException {
    if (!root.has("family")) {
      return ModelFamily.CLIP;
    }
    String value = root.string("family", "clip|siglip|siglip2", "clip, siglip or siglip2");
    return ModelFamily.valueOf(value.toUpperCase(Locale.ROOT));
  }

  /**
   * {@code scoring} (softmax when absent), {@code logit_scale} and, for sigmoid only, {@code
   * logit_bias}: a softmax cannot use a bias, and a sigmoid model without its bias would give every
   * label a probability near 1, so either mistake stops the start.
   */
  private static Scoring scoring(JsonFields root) throws InvalidModelException {
    Scoring.Kind kind = Scoring.Kind.SOFTMAX;
    if (root.has("scoring")) {
      String value = root.string("scoring", "softmax|sigmoid", "softmax or sigmoid");
      kind = Scoring.Kind.valueOf(value.toUpperCase(Locale.ROOT));
    }
    float scale = (float) root.number("logit_scale", 0, MAX_LOGIT_SCALE);
    if (kind == Scoring.Kind.SOFTMAX) {
      if (root.has("logit_bias")) {
        throw root.problem(
            "logit_bias",
            root.raw("logit_bias") + " (expected: absent: only scoring \"sigmoid\" uses a bias)");
      }
      return Scoring.softmax(scale);
    }
    if (!root.has("logit_bias")) {
      throw root.problem(
          "logit_bias", "missing (expected: a number: scoring \"sigmoid\" needs the model's bias)");
    }
    float bias = (float) root.number("logit_bias", -MAX_LOGIT_BIAS, MAX_LOGIT_BIAS);
    return Scoring.sigmoid(scale, bias);
  }

  private static ImageEncoderSpec readImage(Path dir, JsonFields image)
      throws InvalidModelException {
    image.allowOnly(
        "torchscript",
        "method",
        "precision",
        "preprocess_mode",
        "size",
        "resize",
        "crop",
        "patches",
        "mean",
        "std");
    Path torchscript = file(dir, image, "torchscript");
    String method = image.string("method", METHOD, "a TorchScript method name");
    JsonFields resize = image.object("resize");
    Geometry geometry = image.has("patches") ? patches(image, resize) : square(image, resize);
    String filter =
        resize.string(
            "interpolation", "(?i)bicubic|bilinear|nearest", "bicubic, bilinear or nearest");
    float[] mean = image.numbers("mean", 3, Double.NEGATIVE_INFINITY);
    float[] std = image.numbers("std", 3, 0);
    Interpolation interpolation = Interpolation.valueOf(filter.toUpperCase(Locale.ROOT));
    PreprocessSpec spec = new PreprocessSpec(geometry, interpolation, mean, std);
    return new ImageEncoderSpec(torchscript, method, spec, precision(image), preprocessMode(image));
  }

  /**
   * A square input of {@code size}: the short side resized and centre-cropped ({@code
   * resize.shortest_edge} and {@code crop}: CLIP), or the whole picture resized to it ({@code
   * resize.height} and {@code width}, no crop: SigLIP).
   */
  private static Geometry square(JsonFields image, JsonFields resize) throws InvalidModelException {
    int size = (int) image.integer("size", 1, MAX_IMAGE_SIZE);
    if (resize.has("shortest_edge")) {
      resize.allowOnly("shortest_edge", "interpolation");
      int shortestEdge = (int) resize.integer("shortest_edge", size, MAX_IMAGE_SIZE);
      JsonFields crop = image.object("crop").allowOnly("type", "size");
      crop.string("type", "center", "center");
      crop.integer("size", size, size);
      return new Geometry.CenterCrop(shortestEdge, size);
    }
    if (!resize.has("height") && !resize.has("width")) {
      throw resize.problem(
          "shortest_edge",
          "missing (expected: shortest_edge with a crop (CLIP), or height and width (SigLIP))");
    }
    resize.allowOnly("height", "width", "interpolation");
    resize.integer("height", size, size);
    resize.integer("width", size, size);
    if (image.has("crop")) {
      throw image.problem(
          "crop", "present (expected: absent: resize.height and width resize the whole picture)");
    }
    return new Geometry.Squash(size);
  }

  /** NaFlex: at most {@code max_num_patches} patches, aspect ratio kept; no size, no crop. */
  private static Geometry patches(JsonFields image, JsonFields resize)
      throws InvalidModelException {
    for (String field : List.of("size", "crop")) {
      if (image.has(field)) {
        throw image.problem(
            field, "present (expected: absent with patches: the image keeps its aspect ratio)");
      }
    }
    resize.allowOnly("interpolation");
    JsonFields patches = image.object("patches").allowOnly("patch_size", "max_num_patches");
    int patchSize = (int) patches.integer("patch_size", 1, MAX_PATCH_SIZE);
    int maxPatches = (int) patches.integer("max_num_patches", 1, MAX_PATCHES);
    return new Geometry.Patches(patchSize, maxPatches);
  }

  /** {@code preprocess_mode}: exact when absent. */
  private static PreprocessMode preprocessMode(JsonFields image) throws InvalidModelException {
    if (!image.has("preprocess_mode")) {
      return PreprocessMode.EXACT;
    }
    String value = image.string("preprocess_mode", "exact|fast", "exact or fast");
    return PreprocessMode.valueOf(value.toUpperCase(Locale.ROOT));
  }

  private static TextEncoderSpec readText(Path dir, JsonFields text) throws InvalidModelException {
    text.allowOnly(
        "torchscript",
        "method",
        "precision",
        "tokenizer",
        "tokenizer_type",
        "context_length",
        "pad_id",
        "lowercase",
        "attention_mask");
    Path torchscript = file(dir, text, "torchscript");
    String method = text.string("method", METHOD, "a TorchScript method name");
    Path tokenizer = file(dir, text, "tokenizer");
    TokenizerType type = TokenizerType.HUGGINGFACE;
    if (text.has("tokenizer_type")) {
      String value =
          text.string("tokenizer_type", "huggingface|siglip|gemma", "huggingface, siglip or gemma");
      type = TokenizerType.fromManifestName(value);
    }
    int contextLength = (int) text.integer("context_length", 1, MAX_CONTEXT_LENGTH);
    long padId = text.integer("pad_id", 0, Integer.MAX_VALUE);
    if (type == TokenizerType.HUGGINGFACE) {
      checkTokenizerPadding(tokenizer, padId);
    }
    // Only Gemma's tokenizer keeps case; SigLIP's always lower-cases, tokenizer.json says its own.
    if (type != TokenizerType.GEMMA && text.has("lowercase")) {
      throw text.problem(
          "lowercase",
          text.raw("lowercase") + " (expected: absent: only tokenizer_type gemma is lower-cased)");
    }
    boolean lowercase = text.bool("lowercase", TokenizerSpec.DEFAULT_LOWERCASE);
    boolean attentionMask = text.bool("attention_mask", false);
    return new TextEncoderSpec(
        torchscript,
        method,
        tokenizer,
        contextLength,
        padId,
        precision(text),
        type,
        type == TokenizerType.GEMMA && lowercase,
        attentionMask);
  }

  /** {@code precision}: float32 when absent. */
  private static Precision precision(JsonFields tower) throws InvalidModelException {
    if (!tower.has("precision")) {
      return Precision.FLOAT32;
    }
    String value =
        tower.string(
            "precision", "float32|float16|bfloat16|int8", "float32, float16, bfloat16 or int8");
    return Precision.valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** A path relative to the model directory that names a readable file inside it. */
  private static Path file(Path dir, JsonFields fields, String name) throws InvalidModelException {
    String value = fields.string(name, ".+", "a file name relative to the model directory");
    Path path = dir.resolve(value).normalize();
    if (Path.of(value).isAbsolute() || !path.startsWith(dir)) {
      throw fields.problem(name, "'" + value + "' (expected: a file inside " + dir + ")");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw fields.problem(name, "'" + value + "' (expected: an existing file; " + path + ")");
    }
    return path;
  }

  /**
   * DJL takes the pad id from the tokenizer's own {@code padding} block and offers no setter, so a
   * tokenizer that pads with another id than the manifest's would silently change embeddings.
   */
  private static void checkTokenizerPadding(Path tokenizer, long padId)
      throws InvalidModelException {
    JsonFields tok = new JsonFields(tokenizer, "", parseObject(tokenizer, "a tokenizer.json"));
    if (!tok.has("model")) {
      throw tok.problem("model", "missing (expected: a HuggingFace tokenizers tokenizer.json)");
    }
    if (!tok.has("padding")) {
      throw tok.problem(
          "padding",
          "missing (expected: a padding block with pad_id " + padId + ", as model.json)");
    }
    JsonFields padding = tok.object("padding");
    if (padding.integer("pad_id", 0, Integer.MAX_VALUE) != padId) {
      throw padding.problem(
          "pad_id",
          padding.raw("pad_id") + " (expected: " + padId + ", the text.pad_id of model.json)");
    }
  }

  private static JsonObject parseObject(Path file, String expected) throws InvalidModelException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidModelException(file + ": missing (expected: " + expected + ")");
    }
    try {
      JsonElement root = JsonParser.parseString(Files.readString(file));
      if (!root.isJsonObject()) {
        throw new InvalidModelException(file + ": not a JSON object (expected: " + expected + ")");
      }
      return root.getAsJsonObject();
    } catch (JsonParseException | IOException e) {
      throw new InvalidModelException(
          file + ": cannot be read as JSON (" + e.getMessage() + "); expected: " + expected, e);
    }
  }
}
