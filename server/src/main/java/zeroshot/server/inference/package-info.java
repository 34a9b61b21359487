/**
 * A request's walk below the API, free of protobuf and gRPC: {@link
 * zeroshot.server.inference.ZeroShotEngine} takes a {@link zeroshot.server.inference.ClassifyQuery}
 * (or images or texts to embed), takes the image's place in the model's image batcher, resolves the
 * {@link zeroshot.server.inference.Candidates} to label vectors, decodes and preprocesses on the
 * bounded {@link zeroshot.server.inference.PreprocessExecutor}, batches through the model's
 * batchers and scores ({@code Scorer}: one cosine per label, softmax or sigmoid, top-k) into a
 * {@link zeroshot.server.inference.Classification}. A call's parts are tied together by a {@code
 * CancelScope}: the call fails as soon as one side fails, and a failed or cancelled call's pending
 * work leaves every queue.
 */
package zeroshot.server.inference;
