/**
 * Java SDK for the ZeroShot Serve gRPC API ({@code zeroshot.v1}): {@link
 * zeroshot.client.ZeroShotClient} wraps the generated stubs with per-call deadlines, convenience
 * methods and {@link java.util.concurrent.CompletableFuture}-based asynchronous calls.
 */
package zeroshot.client;
