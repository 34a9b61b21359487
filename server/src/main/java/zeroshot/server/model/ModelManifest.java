package zeroshot.server.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import zeroshot.server.model.image.PreprocessMode;
import zeroshot.server.model.image.PreprocessSpec;
import zeroshot.server.model.text.TokenizerSpec;
import zeroshot.server.model.text.TokenizerType;

/**
 * A validated {@code model.json}: everything the server needs to know about a CLIP-style model
 * directory. Paths are absolute and point at files that existed when the manifest was read.
 *
 * @param directory the model directory
 * @param name the model name clients use to select it
 * @param version the model version, part of every cache key
 * @param family the architecture it was exported from (reported, not acted on)
 * @param embeddingDim the dimension D of both encoders' outputs
 * @param scoring how cosines become label probabilities (softmax or sigmoid)
 * @param image the image encoder and its preprocessing
 * @param text the text encoder and its tokenizer
 */
public record ModelManifest(
    Path directory,
    String name,
    String version,
    ModelFamily family,
    int embeddingDim,
    Scoring scoring,
    ImageEncoderSpec image,
    TextEncoderSpec text) {

  /** The file name of the manifest inside a model directory. */
  public static final String FILE_NAME = "model.json";

  public ModelManifest {
    requireNonNull(directory, "directory");
    requireNonNull(name, "name");
    requireNonNull(version, "version");
    requireNonNull(family, "family");
    requireNonNull(scoring, "scoring");
    requireNonNull(image, "image");
    requireNonNull(text, "text");
  }

  /** The multiplier of cosine similarities: {@code scoring().logitScale()}. */
  public float logitScale() {
    return scoring.logitScale();
  }

  /** Returns this manifest with the image preprocessing mode replaced by {@code mode}. */
  public ModelManifest withPreprocessMode(PreprocessMode mode) {
    ImageEncoderSpec i = image;
    return new ModelManifest(
        directory,
        name,
        version,
        family,
        embeddingDim,
        scoring,
        new ImageEncoderSpec(i.torchscript(), i.method(), i.preprocess(), i.precision(), mode),
        text);
  }

  /**
   * The image encoder: {@code method(float[B,3,S,S]) -> float[B,D]} in a TorchScript file.
   *
   * @param torchscript the TorchScript file
   * @param method the method to call, e.g. {@code encode_image}
   * @param preprocess how an image becomes the method's input
   * @param precision the type of the encoder's weights, and so of the input it takes
   * @param preprocessMode whether decoding follows Pillow exactly or takes the fast path
   */
  public record ImageEncoderSpec(
      Path torchscript,
      String method,
      PreprocessSpec preprocess,
      Precision precision,
      PreprocessMode preprocessMode) {
    public ImageEncoderSpec {
      requireNonNull(torchscript, "torchscript");
      requireNonNull(method, "method");
      requireNonNull(preprocess, "preprocess");
      requireNonNull(precision, "precision");
      requireNonNull(preprocessMode, "preprocessMode");
    }

    /** The side in pixels of the square model input; 0 where the input is patches. */
    public int inputSize() {
      return preprocess.inputSize();
    }
  }

  /**
   * The text encoder: {@code method(long[B,L]) -> float[B,D]} in a TorchScript file, or {@code
   * method(long[B,L] ids, long[B,L] mask)} when {@code attentionMask} is set.
   *
   * @param torchscript the TorchScript file
   * @param method the method to call, e.g. {@code encode_text}
   * @param tokenizer the tokenizer file: a HuggingFace {@code tokenizer.json}, or a SentencePiece
   *     model for the SigLIP and Gemma types
   * @param contextLength L, the number of token ids per text (padded or truncated to it)
   * @param padId the id that fills a text up to L; equals the tokenizer's padding id
   * @param precision the type of the encoder's weights (its input is token ids either way)
   * @param tokenizerType which pipeline reads the tokenizer file
   * @param lowercase Gemma only: lower-case texts before tokenizing (SigLIP 2 was trained on
   *     lower-cased text, its tokenizer does not lower-case)
   * @param attentionMask whether the method also takes the attention mask (1 for real tokens); the
   *     official SigLIP checkpoints run without one
   */
  public record TextEncoderSpec(
      Path torchscript,
      String method,
      Path tokenizer,
      int contextLength,
      long padId,
      Precision precision,
      TokenizerType tokenizerType,
      boolean lowercase,
      boolean attentionMask) {
    public TextEncoderSpec {
      requireNonNull(torchscript, "torchscript");
      requireNonNull(method, "method");
      requireNonNull(tokenizer, "tokenizer");
      requireNonNull(precision, "precision");
      requireNonNull(tokenizerType, "tokenizerType");
    }

    /** A CLIP-style text encoder: a HuggingFace tokenizer, no mask passed. */
    public TextEncoderSpec(
        Path torchscript,
        String method,
        Path tokenizer,
        int contextLength,
        long padId,
        Precision precision) {
      this(
          torchscript,
          method,
          tokenizer,
          contextLength,
          padId,
          precision,
          TokenizerType.HUGGINGFACE,
          false,
          false);
    }

    /** What the tokenizer needs of this spec. */
    public TokenizerSpec tokenizerSpec() {
      return new TokenizerSpec(tokenizer, tokenizerType, contextLength, padId, lowercase);
    }
  }
}
