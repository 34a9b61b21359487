/**
 * Dynamic batching, independent of models and of gRPC: one generic {@link
 * zeroshot.server.batching.Batcher} per encoder of each model forms batches under a {@link
 * zeroshot.server.batching.BatchingPolicy} (how batches form: size, delay, preferred sizes,
 * workers, {@link zeroshot.server.batching.BatchWait}) and bounds its queue under a {@link
 * zeroshot.server.batching.QueuePolicy} (how much load is accepted), as Triton keeps the two apart.
 * Items announced ahead of their submission hold their places (admission); cancelled and expired
 * items are dropped before they reach the model. The clock is injected ({@link
 * zeroshot.server.batching.TimeSource}) and observed from the side ({@link
 * zeroshot.server.batching.BatchObserver}), so the loop is tested without sleeping. It depends on
 * nothing else in the server.
 */
package zeroshot.server.batching;
