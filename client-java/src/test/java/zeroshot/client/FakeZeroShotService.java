package zeroshot.client;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import java.util.stream.IntStream;
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
import zeroshot.v1.Embedding;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.GetLabelSetResponse;
import zeroshot.v1.LabelScore;
import zeroshot.v1.ListLabelSetsRequest;
import zeroshot.v1.ListLabelSetsResponse;
import zeroshot.v1.ListModelsRequest;
import zeroshot.v1.ListModelsResponse;
import zeroshot.v1.ModelInfo;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.PutLabelSetResponse;
import zeroshot.v1.ZeroShotServiceGrpc;

/**
 * A deterministic stand-in for the server: records every request, answers from the request alone,
 * rejects a blank label or a template without one "{}" with INVALID_ARGUMENT like the real server,
 * and after {@link #stopAnswering()} never answers, counting down {@link #cancelled} when the call
 * is cancelled. ClassifyStream calls are answered by a {@link FakeClassifyStream}, published in
 * {@link #streams}; label sets are kept by a {@link FakeLabelSets}.
 */
public final class FakeZeroShotService extends ZeroShotServiceGrpc.ZeroShotServiceImplBase {

  public static final String MODEL = "fake-clip";
  public static final String VERSION = "7";
  public static final int DIMENSION = 10;

  /** Requests in the order received. */
  public final BlockingQueue<Object> requests = new LinkedBlockingQueue<>();

  /** Counted down when a call that was left unanswered is cancelled (or its deadline passes). */
  public final CountDownLatch cancelled = new CountDownLatch(1);

  /** ClassifyStream calls, in the order started. */
  public final BlockingQueue<FakeClassifyStream> streams = new LinkedBlockingQueue<>();

  /** The deadlines of the ClassifyStream calls, in the order started; empty for none. */
  public final BlockingQueue<Optional<Deadline>> streamDeadlines = new LinkedBlockingQueue<>();

  private volatile boolean answering = true;
  private volatile boolean holdStreamAnswers;

  /** Leaves every later call unanswered. */
  public void stopAnswering() {
    answering = false;
  }

  /** Makes later streams hold every item until {@link FakeClassifyStream#answerHeld()}. */
  public void holdStreamAnswers() {
    holdStreamAnswers = true;
  }

  /** Scores label i with cosine 0.3 - 0.1 i and probability (n - i) / (1 + ... + n). */
  public static ClassifyResponse classifyResponse(ClassifyRequest request) {
    int n = request.getLabelsCount();
    int k = request.getTopK() == 0 ? n : Math.min(request.getTopK(), n);
    ClassifyResponse.Builder response =
        ClassifyResponse.newBuilder().setModel(MODEL).setModelVersion(VERSION);
    for (int i = 0; i < k; i++) {
      response.addScores(
          LabelScore.newBuilder()
              .setLabel(request.getLabels(i))
              .setProbability((n - i) / (n * (n + 1) / 2f))
              .setCosine(0.3f - 0.1f * i));
    }
    // As the server warns about words a model does not know; the fake knows no "zebra".
    for (String label : request.getLabelsList()) {
      if (label.contains("zebra")) {
        response.addWarnings(
            "label \"" + label + "\": model " + MODEL + " does not know \"zebra\"");
      }
    }
    return response.build();
  }

  /** Item i gets the values (i + 1) * (j + 1) / 100 for j = 0 .. DIMENSION - 1. */
  public static List<Embedding> embeddings(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i -> {
              Embedding.Builder embedding = Embedding.newBuilder();
              for (int j = 0; j < DIMENSION; j++) {
                embedding.addValues((i + 1) * (j + 1) / 100f);
              }
              return embedding.build();
            })
        .toList();
  }

  public static ListModelsResponse modelsResponse() {
    ModelInfo.Builder model =
        ModelInfo.newBuilder()
            .setVersion(VERSION)
            .setDimension(DIMENSION)
            .setImageSize(224)
            .setContextLength(77)
            .setDevice("cpu")
            .setLogitScale(100)
            .setFamily("clip")
            .setScoring("softmax")
            .setPreprocessMode("exact")
            .setImagePrecision("float32")
            .setTextPrecision("float32");
    return ListModelsResponse.newBuilder()
        .addModels(model.clone().setName(MODEL).setReady(true))
        .addModels(
            model
                .clone()
                .setName("fake-large")
                .setReady(false)
                .setImagePrecision("int8")
                .setTextPrecision("bfloat16"))
        .setDefaultModel(MODEL)
        .build();
  }

  @Override
  public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> observer) {
    if (received(request, observer)) {
      String invalid = FakeClassifyStream.invalid(request);
      if (invalid != null) {
        observer.onError(Status.INVALID_ARGUMENT.withDescription(invalid).asRuntimeException());
        return;
      }
      answer(observer, classifyResponse(request));
    }
  }

  @Override
  public StreamObserver<ClassifyStreamRequest> classifyStream(
      StreamObserver<ClassifyStreamResponse> observer) {
    var responses = (ServerCallStreamObserver<ClassifyStreamResponse>) observer;
    responses.setOnCancelHandler(cancelled::countDown);
    FakeClassifyStream stream = new FakeClassifyStream(responses, holdStreamAnswers, requests);
    streamDeadlines.add(Optional.ofNullable(Context.current().getDeadline()));
    streams.add(stream);
    return stream;
  }

  @Override
  public void embedImages(
      EmbedImagesRequest request, StreamObserver<EmbedImagesResponse> observer) {
    if (received(request, observer)) {
      answer(
          observer,
          EmbedImagesResponse.newBuilder()
              .setModel(MODEL)
              .setModelVersion(VERSION)
              .setDimension(DIMENSION)
              .addAllEmbeddings(embeddings(request.getImagesCount()))
              .build());
    }
  }

  @Override
  public void embedTexts(EmbedTextsRequest request, StreamObserver<EmbedTextsResponse> observer) {
    if (received(request, observer)) {
      answer(
          observer,
          EmbedTextsResponse.newBuilder()
              .setModel(MODEL)
              .setModelVersion(VERSION)
              .setDimension(DIMENSION)
              .addAllEmbeddings(embeddings(request.getTextsCount()))
              .build());
    }
  }

  /** The metrics port ListModels reports (0: none, as a server with metrics off). */
  public volatile int metricsPort;

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
    if (received(request, observer)) {
      answer(observer, modelsResponse().toBuilder().setMetricsPort(metricsPort).build());
    }
  }

  /** The label sets put so far. */
  private final FakeLabelSets labelSets = new FakeLabelSets();

  @Override
  public void putLabelSet(
      PutLabelSetRequest request, StreamObserver<PutLabelSetResponse> observer) {
    if (received(request, observer)) {
      answerOrFail(observer, () -> labelSets.put(request));
    }
  }

  @Override
  public void getLabelSet(
      GetLabelSetRequest request, StreamObserver<GetLabelSetResponse> observer) {
    if (received(request, observer)) {
      answerOrFail(observer, () -> labelSets.get(request));
    }
  }

  @Override
  public void listLabelSets(
      ListLabelSetsRequest request, StreamObserver<ListLabelSetsResponse> observer) {
    if (received(request, observer)) {
      answerOrFail(observer, () -> labelSets.list(request));
    }
  }

  @Override
  public void deleteLabelSet(
      DeleteLabelSetRequest request, StreamObserver<DeleteLabelSetResponse> observer) {
    if (received(request, observer)) {
      answerOrFail(
          observer,
          () -> {
            labelSets.delete(request);
            return DeleteLabelSetResponse.newBuilder()
                .setModel(request.getModel().isEmpty() ? MODEL : request.getModel())
                .build();
          });
    }
  }

  /** Records the request; returns whether to answer it. */
  private boolean received(Object request, StreamObserver<?> observer) {
    boolean answer = answering;
    if (!answer) {
      // Installed before the request is recorded, so a test that saw the request can cancel.
      ((ServerCallStreamObserver<?>) observer).setOnCancelHandler(cancelled::countDown);
    }
    requests.add(request);
    return answer;
  }

  private static <T> void answer(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }

  /** Answers with what {@code response} returns, or with the status it throws. */
  private static <T> void answerOrFail(StreamObserver<T> observer, Supplier<T> response) {
    T answer;
    try {
      answer = response.get();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    }
    answer(observer, answer);
  }
}
