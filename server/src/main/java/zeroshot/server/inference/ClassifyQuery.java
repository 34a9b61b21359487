package zeroshot.server.inference;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One Classify request as the engine takes it, validated and free of protobuf.
 *
 * @param model the model's name; empty: the default model
 * @param input what is classified: an image, or a text
 * @param candidates the labels it is scored against
 * @param topK how many labels the answer keeps, best first (0: all)
 * @param minScore labels scoring lower are left out: on the probability for a sigmoid model, on the
 *     cosine for a softmax one (empty: none are)
 */
public record ClassifyQuery(
    String model, Input input, Candidates candidates, int topK, Optional<Float> minScore) {

  /** What a Classify call classifies: an {@link ImageInput}, or a {@link Text}. */
  public sealed interface Input permits ImageInput, Text {}

  /** A text to classify, embedded by the model's text encoder as the labels are. */
  public record Text(String text) implements Input {
    public Text {
      requireNonNull(text, "text");
    }
  }

  public ClassifyQuery {
    requireNonNull(model, "model");
    requireNonNull(input, "input");
    requireNonNull(candidates, "candidates");
    requireNonNull(minScore, "minScore");
    if (topK < 0) {
      throw new IllegalArgumentException("topK: " + topK + " (expected: >= 0; 0 means all)");
    }
  }
}
