/**
 * Labels as a model scores them: {@link zeroshot.server.labels.PromptTemplate}s turn labels into
 * prompts, the {@link zeroshot.server.labels.LabelEmbeddingCache} embeds each prompt once per model
 * version (misses go through the model's text batcher), and the {@link
 * zeroshot.server.labels.LabelSetStore} keeps named label sets, each encoded once into a label
 * matrix with prompt ensembling ({@code Ensembles}). Both ad-hoc labels ({@link
 * zeroshot.server.labels.LabelMatrix}) and named sets ({@link
 * zeroshot.server.labels.EncodedLabelSet}) are {@link zeroshot.server.labels.ScoringLabels} to the
 * engine.
 *
 * <p>With a label set folder, {@link zeroshot.server.labels.LabelSetFiles} keeps each set's
 * definition as one JSON file, on disk before a put or delete is answered ({@link
 * zeroshot.server.labels.DurableFiles}: contents forced before the rename, the folder after it),
 * and reads them back at start. Nothing here knows about gRPC.
 */
package zeroshot.server.labels;
