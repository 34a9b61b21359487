package zeroshot.server.inference;

import java.util.List;
import zeroshot.server.model.ModelManifest;

/**
 * The answer to a classify call.
 *
 * @param model the model that answered
 * @param labels the candidate labels; score indices refer to them
 * @param scores the top labels, best first, without those under the call's minimum score
 * @param noMatch true when a minimum score was given and no label reached it
 * @param warnings what the caller should know about the answer, in words: each label with words the
 *     model does not know (embedded as every unknown word is, so such labels score alike)
 */
public record Classification(
    ModelManifest model,
    List<String> labels,
    List<ScoredLabel> scores,
    boolean noMatch,
    List<String> warnings) {}
