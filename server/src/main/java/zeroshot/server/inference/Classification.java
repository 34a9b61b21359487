package zeroshot.server.inference;

import java.util.List;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.scoring.ScoredLabel;

/**
 * The answer to a classify call.
 *
 * @param model the model that answered
 * @param scores the top labels, best first; indices refer to the request's labels
 */
public record Classification(ModelManifest model, List<ScoredLabel> scores) {}
