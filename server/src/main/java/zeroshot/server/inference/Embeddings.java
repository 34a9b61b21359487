package zeroshot.server.inference;

import zeroshot.server.model.ModelManifest;

/**
 * The answer to an embed call.
 *
 * @param model the model that answered
 * @param vectors one L2-normalised vector per input, in request order
 */
public record Embeddings(ModelManifest model, float[][] vectors) {}
