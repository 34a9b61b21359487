/**
 * Models, independent of the runtime that runs them: the {@link
 * zeroshot.server.model.ModelManifest} read from {@code model.json} ({@link
 * zeroshot.server.model.ManifestReader}, docs/model-format.md), the {@link
 * zeroshot.server.model.EmbeddingModel} port that batching, labels and the API run on (a fake in
 * tests, TorchScript in production), the {@link zeroshot.server.model.ModelRuntime} port that loads
 * one onto a {@link zeroshot.server.model.ComputeDevice}, replicas across GPUs ({@code
 * ReplicatedModel}), a family's {@link zeroshot.server.model.Scoring}, and the {@link
 * zeroshot.server.model.ModelRegistry} of {@link zeroshot.server.model.ServedModel}s: a loaded
 * model with its preprocessing and one batcher per encoder.
 *
 * <p>Its subpackages hold a model family's parts: {@code model.image} (decoding, preprocessing),
 * {@code model.text} (tokenizers), and {@code model.torchscript}, the one runtime.
 */
package zeroshot.server.model;
