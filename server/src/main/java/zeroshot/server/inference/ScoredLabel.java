package zeroshot.server.inference;

/**
 * One candidate label's score.
 *
 * @param index the label's position in the request
 * @param cosine the cosine similarity of the input and label embeddings
 * @param probability by the model's scoring: softmax of {@code logitScale × cosine} over all
 *     candidates, or sigmoid of {@code logitScale × cosine + logitBias} for this label alone
 */
public record ScoredLabel(int index, float cosine, float probability) {}
