package zeroshot.server.labels;

/**
 * A label set as the server holds it: its definition and its label matrix.
 *
 * @param definition what the client put
 * @param modelVersion the version of the model that encoded it
 * @param matrix one vector per label: the renormalised mean of its prompts' embeddings
 * @param promptCount the distinct prompts encoded
 */
public record EncodedLabelSet(
    LabelSetDefinition definition, String modelVersion, LabelMatrix matrix, int promptCount) {}
