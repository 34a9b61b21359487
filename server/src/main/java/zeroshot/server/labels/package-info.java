/**
 * Labels as the model sees them: prompt templates ({@link zeroshot.server.labels.PromptTemplate}),
 * the cache of label-prompt embeddings ({@link zeroshot.server.labels.LabelEmbeddingCache}), and
 * named label sets ({@link zeroshot.server.labels.LabelSetStore}), encoded once into a label
 * matrix. With a label set folder, {@link zeroshot.server.labels.LabelSetFiles} keeps each set's
 * definition as one JSON file, on disk before a put or delete is answered ({@link
 * zeroshot.server.labels.DurableFiles}: contents forced before the rename, the folder after it),
 * and reads them back at start. Nothing here knows about gRPC.
 */
package zeroshot.server.labels;
