package zeroshot.client;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedImagesResponse;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.EmbedTextsResponse;
import zeroshot.v1.Image;
import zeroshot.v1.ListModelsRequest;
import zeroshot.v1.ListModelsResponse;
import zeroshot.v1.ZeroShotServiceGrpc;
import zeroshot.v1.ZeroShotServiceGrpc.ZeroShotServiceBlockingStub;
import zeroshot.v1.ZeroShotServiceGrpc.ZeroShotServiceFutureStub;
import zeroshot.v1.ZeroShotServiceGrpc.ZeroShotServiceStub;

/**
 * A client of the {@code zeroshot.v1.ZeroShotService} API; thread-safe, meant to be shared.
 *
 * <p>Create one with {@link #builder()} (the client owns its channel and {@link #close()} shuts it
 * down) or {@link #wrap(Channel, Duration)} (the caller owns the channel). Every call has a
 * deadline: the one passed to the call, or else the client's default deadline, except {@link
 * #classifyStream classifyStream}, which has none unless one is passed. Named label sets are
 * created, read, listed and deleted through {@link #labelSets()}.
 *
 * <p>Errors: blocking calls throw {@link StatusRuntimeException}; asynchronous calls return a
 * future completed exceptionally with one. Its {@link io.grpc.Status.Code} says what happened, as
 * documented on each RPC in {@code zeroshot.proto}: e.g. {@code INVALID_ARGUMENT} for a request the
 * server rejects, {@code UNAVAILABLE} while the model is loading, {@code DEADLINE_EXCEEDED}.
 * Obviously invalid arguments (null, a negative {@code topK}, a deadline that is not positive) are
 * rejected before sending, with {@link NullPointerException} or {@link IllegalArgumentException}.
 * Cancelling a returned future cancels its call.
 */
public final class ZeroShotClient implements AutoCloseable {

  /** The deadline of calls that give none, unless the builder sets another: 30 seconds. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  // How long close() waits for calls in flight before cancelling them.
  private static final Duration CLOSE_GRACE_PERIOD = Duration.ofSeconds(5);

  private final ManagedChannel ownedChannel; // null when the caller owns the channel
  private final Duration defaultDeadline;
  private final ZeroShotServiceBlockingStub blockingStub;
  private final ZeroShotServiceFutureStub futureStub;
  private final ZeroShotServiceStub asyncStub;
  private final LabelSets labelSets = new LabelSets(this);

  ZeroShotClient(Channel channel, ManagedChannel ownedChannel, Duration defaultDeadline) {
    this.ownedChannel = ownedChannel;
    this.defaultDeadline = Deadlines.checkPositive(defaultDeadline, "defaultDeadline");
    this.blockingStub = ZeroShotServiceGrpc.newBlockingStub(channel);
    this.futureStub = ZeroShotServiceGrpc.newFutureStub(channel);
    this.asyncStub = ZeroShotServiceGrpc.newStub(channel);
  }

  /** Returns a builder of a client that owns its channel. */
  public static ZeroShotClientBuilder builder() {
    return new ZeroShotClientBuilder();
  }

  /** Returns a client over a channel the caller owns: {@link #close()} leaves it open. */
  public static ZeroShotClient wrap(Channel channel, Duration defaultDeadline) {
    return new ZeroShotClient(requireNonNull(channel, "channel"), null, defaultDeadline);
  }

  /** Returns the deadline of calls that give none. */
  public Duration defaultDeadline() {
    return defaultDeadline;
  }

  /** Classifies an image or a text against labels; see {@code ZeroShotService.Classify}. */
  public ClassifyResponse classify(ClassifyRequest request) {
    return classify(request, defaultDeadline);
  }

  /** As {@link #classify(ClassifyRequest)}, with the given deadline. */
  public ClassifyResponse classify(ClassifyRequest request, Duration deadline) {
    return blocking(deadline).classify(requireNonNull(request, "request"));
  }

  /**
   * Classifies an encoded image (JPEG, PNG, GIF, BMP or WebP bytes) against labels, returning the
   * {@code topK} best (0 = all), with the server's default model and no prompt template.
   */
  public ClassifyResponse classifyImage(byte[] encoded, List<String> labels, int topK) {
    return classifyImage(encoded, labels, topK, defaultDeadline);
  }

  /** As {@link #classifyImage(byte[], List, int)}, with the given deadline. */
  public ClassifyResponse classifyImage(
      byte[] encoded, List<String> labels, int topK, Duration deadline) {
    Image image = Image.newBuilder().setEncoded(ByteString.copyFrom(encoded)).build();
    return classify(labelled(labels, topK).setImage(image).build(), deadline);
  }

  /** Classifies a text against labels, returning the {@code topK} best (0 = all). */
  public ClassifyResponse classifyText(String text, List<String> labels, int topK) {
    return classifyText(text, labels, topK, defaultDeadline);
  }

  /** As {@link #classifyText(String, List, int)}, with the given deadline. */
  public ClassifyResponse classifyText(
      String text, List<String> labels, int topK, Duration deadline) {
    requireNonNull(text, "text");
    return classify(labelled(labels, topK).setText(text).build(), deadline);
  }

  /** Encodes images into embeddings; see {@code ZeroShotService.EmbedImages}. */
  public EmbedImagesResponse embedImages(EmbedImagesRequest request) {
    return embedImages(request, defaultDeadline);
  }

  /** As {@link #embedImages(EmbedImagesRequest)}, with the given deadline. */
  public EmbedImagesResponse embedImages(EmbedImagesRequest request, Duration deadline) {
    return blocking(deadline).embedImages(requireNonNull(request, "request"));
  }

  /** Encodes texts into embeddings; see {@code ZeroShotService.EmbedTexts}. */
  public EmbedTextsResponse embedTexts(EmbedTextsRequest request) {
    return embedTexts(request, defaultDeadline);
  }

  /** As {@link #embedTexts(EmbedTextsRequest)}, with the given deadline. */
  public EmbedTextsResponse embedTexts(EmbedTextsRequest request, Duration deadline) {
    return blocking(deadline).embedTexts(requireNonNull(request, "request"));
  }

  /** Lists the server's models and names the default one. */
  public ListModelsResponse listModels() {
    return listModels(defaultDeadline);
  }

  /** As {@link #listModels()}, with the given deadline. */
  public ListModelsResponse listModels(Duration deadline) {
    return blocking(deadline).listModels(ListModelsRequest.getDefaultInstance());
  }

  /** Returns the label-set calls: PutLabelSet, GetLabelSet, ListLabelSets, DeleteLabelSet. */
  public LabelSets labelSets() {
    return labelSets;
  }

  /** As {@link #classify(ClassifyRequest)}, asynchronously. */
  public CompletableFuture<ClassifyResponse> classifyAsync(ClassifyRequest request) {
    return classifyAsync(request, defaultDeadline);
  }

  /** As {@link #classify(ClassifyRequest, Duration)}, asynchronously. */
  public CompletableFuture<ClassifyResponse> classifyAsync(
      ClassifyRequest request, Duration deadline) {
    requireNonNull(request, "request");
    return FutureAdapter.toCompletable(future(deadline).classify(request));
  }

  /** As {@link #embedImages(EmbedImagesRequest)}, asynchronously. */
  public CompletableFuture<EmbedImagesResponse> embedImagesAsync(EmbedImagesRequest request) {
    return embedImagesAsync(request, defaultDeadline);
  }

  /** As {@link #embedImages(EmbedImagesRequest, Duration)}, asynchronously. */
  public CompletableFuture<EmbedImagesResponse> embedImagesAsync(
      EmbedImagesRequest request, Duration deadline) {
    requireNonNull(request, "request");
    return FutureAdapter.toCompletable(future(deadline).embedImages(request));
  }

  /** As {@link #embedTexts(EmbedTextsRequest)}, asynchronously. */
  public CompletableFuture<EmbedTextsResponse> embedTextsAsync(EmbedTextsRequest request) {
    return embedTextsAsync(request, defaultDeadline);
  }

  /** As {@link #embedTexts(EmbedTextsRequest, Duration)}, asynchronously. */
  public CompletableFuture<EmbedTextsResponse> embedTextsAsync(
      EmbedTextsRequest request, Duration deadline) {
    requireNonNull(request, "request");
    return FutureAdapter.toCompletable(future(deadline).embedTexts(request));
  }

  /** As {@link #listModels()}, asynchronously. */
  public CompletableFuture<ListModelsResponse> listModelsAsync() {
    return listModelsAsync(defaultDeadline);
  }

  /** As {@link #listModels(Duration)}, asynchronously. */
  public CompletableFuture<ListModelsResponse> listModelsAsync(Duration deadline) {
    return FutureAdapter.toCompletable(
        future(deadline).listModels(ListModelsRequest.getDefaultInstance()));
  }

  /**
   * Classifies many items over one {@code ClassifyStream} call, with no deadline: a stream lasts as
   * long as its source, so the client's default deadline, meant for one item, does not apply.
   *
   * <p>Backpressure: an item is pulled from {@code requests} only when the transport is ready and
   * fewer than {@code maxInFlight} items are unanswered, so a source of any size is read lazily and
   * never buffered whole. Once it is exhausted the call half-closes, and the future completes when
   * the server has answered every item. {@code requests} is pulled and {@code onResult} is called
   * on gRPC's callback thread, one call at a time, never concurrently; both should be quick
   * (reading a file is fine), since they hold up the stream while they run.
   *
   * <p>Each answer, in the order the server sends it (not request order), goes to {@code onResult},
   * per-item errors included ({@link ClassifyStreamResponse#hasError()}): they do not end the
   * stream. The future completes with the counts, or exceptionally with a {@link
   * StatusRuntimeException} for a stream-level error (e.g. {@code INVALID_ARGUMENT} for an empty
   * {@code request_id}), with {@link IllegalArgumentException} for an id already in flight, or with
   * whatever {@code requests} or {@code onResult} threw; each of these cancels the call. Cancelling
   * the future cancels the call, and no result is delivered after that.
   *
   * @param requests the items, each with a unique id; see {@link StreamRequests#withSequentialIds}
   *     to number plain requests
   * @param maxInFlight the most items sent and not yet answered; at least 1
   * @param onResult receives every answer
   */
  public CompletableFuture<StreamSummary> classifyStream(
      Iterator<ClassifyStreamRequest> requests,
      int maxInFlight,
      Consumer<ClassifyStreamResponse> onResult) {
    return ClassifyStreamCall.start(asyncStub, requests, maxInFlight, onResult);
  }

  /**
   * As {@link #classifyStream(Iterator, int, Consumer)}, ending with {@code DEADLINE_EXCEEDED} if
   * the whole stream is not done within {@code deadline} (unanswered items are dropped).
   */
  public CompletableFuture<StreamSummary> classifyStream(
      Iterator<ClassifyStreamRequest> requests,
      int maxInFlight,
      Consumer<ClassifyStreamResponse> onResult,
      Duration deadline) {
    ZeroShotServiceStub stub =
        asyncStub.withDeadlineAfter(Deadlines.toNanos(deadline), TimeUnit.NANOSECONDS);
    return ClassifyStreamCall.start(stub, requests, maxInFlight, onResult);
  }

  /**
   * Opens a {@code ClassifyStream} call that the caller drives item by item, for callers that send
   * as they go, such as a load generator; most callers want {@link #classifyStream(Iterator, int,
   * Consumer) classifyStream}, which adds backpressure. The call has no deadline. The caller calls
   * the returned observer's methods one at a time (never concurrently), bounds the items it leaves
   * unanswered itself, and ends the call with {@code onCompleted()}; answers, per-item errors
   * included, arrive on {@code responses} on gRPC's callback thread.
   */
  public StreamObserver<ClassifyStreamRequest> openClassifyStream(
      StreamObserver<ClassifyStreamResponse> responses) {
    return asyncStub.classifyStream(requireNonNull(responses, "responses"));
  }

  /**
   * Shuts down the channel if this client owns it: waits up to 5 seconds for calls in flight, then
   * cancels them. A no-op for a client made with {@link #wrap(Channel, Duration)}.
   */
  @Override
  public void close() {
    if (ownedChannel == null) {
      return;
    }
    ownedChannel.shutdown();
    try {
      if (!ownedChannel.awaitTermination(CLOSE_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS)) {
        ownedChannel.shutdownNow();
      }
    } catch (InterruptedException e) {
      ownedChannel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ClassifyRequest.Builder labelled(List<String> labels, int topK) {
    requireNonNull(labels, "labels");
    if (topK < 0) {
      throw new IllegalArgumentException("topK: " + topK + " (expected: >= 0)");
    }
    return ClassifyRequest.newBuilder().addAllLabels(labels).setTopK(topK);
  }

  /** The blocking stub with {@code deadline}; checks that it is positive. */
  ZeroShotServiceBlockingStub blocking(Duration deadline) {
    return blockingStub.withDeadlineAfter(Deadlines.toNanos(deadline), TimeUnit.NANOSECONDS);
  }

  private ZeroShotServiceFutureStub future(Duration deadline) {
    return futureStub.withDeadlineAfter(Deadlines.toNanos(deadline), TimeUnit.NANOSECONDS);
  }
}
