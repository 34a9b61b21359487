package zeroshot.server.api;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import zeroshot.server.config.Limits;
import zeroshot.server.inference.Classification;
import zeroshot.server.inference.ZeroShotEngine;
import zeroshot.server.labels.LabelSetStore;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.ServedModel;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.DeleteLabelSetResponse;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedImagesResponse;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.EmbedTextsResponse;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.GetLabelSetResponse;
import zeroshot.v1.ListLabelSetsRequest;
import zeroshot.v1.ListLabelSetsResponse;
import zeroshot.v1.ListModelsRequest;
import zeroshot.v1.ListModelsResponse;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.PutLabelSetResponse;
import zeroshot.v1.ZeroShotServiceGrpc;

/**
 * The {@code zeroshot.v1.ZeroShotService} RPCs: validate and map the request, hand it to the engine
 * (which runs it on the inference pool), map the answer or the failure back.
 *
 * <p>Handlers never block: they return as soon as the work is queued. A cancelled call (client
 * cancel or deadline) cancels its queued work.
 */
public final class ZeroShotGrpcService extends ZeroShotServiceGrpc.ZeroShotServiceImplBase {
  /** Items one ClassifyStream may have in flight or unwritten before the server stops reading. */
  public static final int STREAM_WINDOW = 64;

  private final ZeroShotEngine engine;
  private final ModelRegistry models;
  private final LabelSetStore labelSets;
  private final RequestMapper requests;
  private final IntSupplier metricsPort;
  private final Set<ClassifyStreamHandler> openStreams = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  /**
   * @param metricsPort the port of {@code /metrics} once it is open, or -1 (off or not yet)
   */
  public ZeroShotGrpcService(
      ZeroShotEngine engine,
      ModelRegistry models,
      LabelSetStore labelSets,
      Limits limits,
      IntSupplier metricsPort) {
    this.engine = requireNonNull(engine, "engine");
    this.metricsPort = requireNonNull(metricsPort, "metricsPort");
    this.models = requireNonNull(models, "models");
    this.labelSets = requireNonNull(labelSets, "labelSets");
    this.requests = new RequestMapper(limits);
  }

  /**
   * What to register instead of {@link #bindService()} (which is final): the same methods, with
   * requests that are not valid protobuf answered INVALID_ARGUMENT instead of grpc-java's UNKNOWN
   * ({@link MalformedRequests}).
   */
  public ServerServiceDefinition definition() {
    return MalformedRequests.refuse(bindService());
  }

  @Override
  public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> observer) {
    respond(observer, () -> startClassify(request), Function.identity());
  }

  @Override
  public StreamObserver<ClassifyStreamRequest> classifyStream(
      StreamObserver<ClassifyStreamResponse> observer) {
    ClassifyStreamHandler stream =
        new ClassifyStreamHandler(
            (ServerCallStreamObserver<ClassifyStreamResponse>) observer,
            item -> {
              try {
                return startClassify(item.getRequest());
              } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
              }
            },
            STREAM_WINDOW,
            openStreams::remove);
    openStreams.add(stream);
    stream.start();
    if (draining) {
      stream.drain(); // began after drainStreams() looked
    }
    return stream;
  }

  /**
   * For shutdown: every open ClassifyStream stops reading, answers the items it has read, and ends
   * with UNAVAILABLE; so does any stream that starts from now on. Returns at once.
   */
  public void drainStreams() {
    draining = true;
    openStreams.forEach(ClassifyStreamHandler::drain);
  }

  /** Validates and queues one classification; cancelling the result cancels its work. */
  private CompletableFuture<ClassifyResponse> startClassify(ClassifyRequest request)
      throws Exception {
    CompletableFuture<Classification> work =
        engine.classify(requests.classify(request), deadline());
    CompletableFuture<ClassifyResponse> response = work.thenApply(ResponseMapper::classify);
    response.whenComplete(
        (r, failure) -> {
          if (response.isCancelled()) {
            work.cancel(false);
          }
        });
    return response;
  }

  @Override
  public void embedImages(
      EmbedImagesRequest request, StreamObserver<EmbedImagesResponse> observer) {
    respond(
        observer,
        () -> engine.embedImages(request.getModel(), requests.images(request), deadline()),
        ResponseMapper::embedImages);
  }

  @Override
  public void embedTexts(EmbedTextsRequest request, StreamObserver<EmbedTextsResponse> observer) {
    respond(
        observer,
        () -> engine.embedTexts(request.getModel(), requests.texts(request), deadline()),
        ResponseMapper::embedTexts);
  }

  @Override
  public void putLabelSet(
      PutLabelSetRequest request, StreamObserver<PutLabelSetResponse> observer) {
    respond(
        observer,
        () -> {
          ServedModel served = models.require(request.getLabelSet().getModel());
          return labelSets.put(
              served,
              LabelSetMapper.fromProto(request.getLabelSet(), served.manifest().name()),
              deadline());
        },
        stored ->
            PutLabelSetResponse.newBuilder()
                .setInfo(LabelSetMapper.info(stored.set()))
                .setReplaced(stored.replaced())
                .build());
  }

  @Override
  public void getLabelSet(
      GetLabelSetRequest request, StreamObserver<GetLabelSetResponse> observer) {
    respond(
        observer,
        () ->
            CompletableFuture.completedFuture(
                labelSets.require(models.resolve(request.getModel()), request.getName())),
        set ->
            GetLabelSetResponse.newBuilder()
                .setLabelSet(LabelSetMapper.toProto(set.definition()))
                .setInfo(LabelSetMapper.info(set))
                .build());
  }

  @Override
  public void listLabelSets(
      ListLabelSetsRequest request, StreamObserver<ListLabelSetsResponse> observer) {
    respond(
        observer,
        () ->
            CompletableFuture.completedFuture(
                labelSets.list(
                    request.getModel().isEmpty() ? null : models.resolve(request.getModel()))),
        sets ->
            ListLabelSetsResponse.newBuilder()
                .addAllLabelSets(sets.stream().map(LabelSetMapper::info).toList())
                .build());
  }

  @Override
  public void deleteLabelSet(
      DeleteLabelSetRequest request, StreamObserver<DeleteLabelSetResponse> observer) {
    respond(
        observer,
        () -> {
          String model = models.resolve(request.getModel());
          labelSets.delete(model, request.getName());
          return CompletableFuture.completedFuture(
              DeleteLabelSetResponse.newBuilder().setModel(model).build());
        },
        Function.identity());
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
    observer.onNext(
        ResponseMapper.listModels(models).toBuilder()
            .setMetricsPort(Math.max(0, metricsPort.getAsInt()))
            .build());
    observer.onCompleted();
  }

  /** The call's deadline on the batchers' clock ({@code System.nanoTime()}), or none. */
  static long deadline() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null
        ? Long.MAX_VALUE
        : System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
  }

  /** Work that validates and queues synchronously, and finishes asynchronously. */
  private interface Call<R> {
    CompletableFuture<R> start() throws Exception;
  }

  /**
   * Starts the call and answers when it completes. The cancel handler cancels the engine's own
   * future (not a derived one), so that work still queued is dropped.
   */
  private static <R, T> void respond(
      StreamObserver<T> observer, Call<R> call, Function<R, T> toResponse) {
    ServerCallStreamObserver<T> server = (ServerCallStreamObserver<T>) observer;
    CompletableFuture<R> work;
    try {
      work = call.start();
    } catch (Exception e) {
      observer.onError(StatusMapper.toStatus(e));
      return;
    }
    server.setOnCancelHandler(() -> work.cancel(false));
    work.whenComplete(
        (result, failure) -> {
          if (server.isCancelled()) {
            return; // nobody is listening; the work was dropped or its result is
          }
          if (failure != null) {
            observer.onError(StatusMapper.toStatus(failure));
            return;
          }
          T response;
          try {
            response = toResponse.apply(result);
          } catch (RuntimeException e) {
            observer.onError(StatusMapper.toStatus(e));
            return;
          }
          observer.onNext(response);
          observer.onCompleted();
        });
  }
}
