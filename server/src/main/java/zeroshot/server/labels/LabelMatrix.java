package zeroshot.server.labels;

import java.util.List;

/**
 * Candidate labels and their L2-normalised vectors, row i for label i: what scoring multiplies an
 * input embedding with.
 */
public record LabelMatrix(List<String> labels, float[][] vectors) {
  public LabelMatrix {
    labels = List.copyOf(labels);
    if (labels.size() != vectors.length) {
      throw new IllegalArgumentException(
          "labels: " + labels.size() + ", vectors: " + vectors.length + " (expected: equal)");
    }
  }
}
