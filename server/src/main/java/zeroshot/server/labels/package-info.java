/**
 * Labels as a model scores them: {@link zeroshot.server.labels.PromptTemplate}s turn labels into
 * prompts, the {@link zeroshot.server.labels.LabelEmbeddingCache} embeds each prompt once per model
 * version (misses go through the model's text batcher), and the {@link
 * zeroshot.server.labels.LabelSetStore} keeps named label sets, each encoded once into a matrix
 * with prompt ensembling ({@code Ensembles}) and, with {@link
 * zeroshot.server.labels.LabelSetFiles}, kept across restarts. Both ad-hoc labels ({@link
 * zeroshot.server.labels.LabelMatrix}) and named sets ({@link
 * zeroshot.server.labels.EncodedLabelSet}) are {@link zeroshot.server.labels.ScoringLabels} to the
 * engine.
 */
package zeroshot.server.labels;
