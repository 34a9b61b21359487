package zeroshot.server.labels;

import java.util.List;

/** Candidate labels ready for scoring: their names and the cosines of an input with each. */
public interface ScoringLabels {
  List<String> labels();

  /** The cosine of {@code input} (unit length) with each label, in label order. */
  float[] cosines(float[] input);
}
