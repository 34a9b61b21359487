package zeroshot.server.model;

import static java.util.Objects.requireNonNull;

import zeroshot.server.model.image.ImagePreprocessor;

/**
 * A loaded, warmed-up model with the preprocessing its manifest asks for.
 *
 * @param model the encoders
 * @param preprocessor turns decoded images into the image encoder's input
 */
public record ServedModel(EmbeddingModel model, ImagePreprocessor preprocessor) {
  public ServedModel {
    requireNonNull(model, "model");
    requireNonNull(preprocessor, "preprocessor");
  }

  public static ServedModel of(EmbeddingModel model) {
    return new ServedModel(model, new ImagePreprocessor(model.manifest().image().preprocess()));
  }

  public ModelManifest manifest() {
    return model.manifest();
  }
}
