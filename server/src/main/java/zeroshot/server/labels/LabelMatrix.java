package zeroshot.server.labels;

import java.util.List;
import zeroshot.server.model.Vectors;

/**
 * Candidate labels and their L2-normalised vectors in the Java heap, row i for label i: the labels
 * of one call, scored once.
 */
public record LabelMatrix(List<String> labels, float[][] vectors) implements ScoringLabels {
  public LabelMatrix {
    labels = List.copyOf(labels);
    if (labels.size() != vectors.length) {
      throw new IllegalArgumentException(
          "labels: " + labels.size() + ", vectors: " + vectors.length + " (expected: equal)");
    }
  }

  @Override
  public float[] cosines(float[] input) {
    return Vectors.dots(input, vectors);
  }
}
