package zeroshot.server.labels;

import java.util.List;
import zeroshot.server.model.LabelVectors;

/**
 * A label set as the server holds it: its definition and its label vectors, kept where the model
 * runs.
 *
 * @param definition what the client put
 * @param modelVersion the version of the model that encoded it
 * @param vectors one vector per label: the renormalised mean of its prompts' embeddings
 * @param promptCount the distinct prompts encoded
 */
public record EncodedLabelSet(
    LabelSetDefinition definition, String modelVersion, LabelVectors vectors, int promptCount)
    implements ScoringLabels {

  @Override
  public List<String> labels() {
    return definition.labelNames();
  }

  @Override
  public float[] cosines(float[] input) {
    return vectors.cosines(input);
  }
}
