package zeroshot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;

@Timeout(30)
class ClassifyStreamTest {

  private static final Duration GENEROUS = Duration.ofMinutes(1);

  private final FakeZeroShotService fake = new FakeZeroShotService();
  private final List<ClassifyStreamResponse> results =
      Collections.synchronizedList(new ArrayList<>());
  private InProcessServer server;
  private InProcessServer directServer;
  private ZeroShotClient client;

  @BeforeEach
  void start() {
    server = InProcessServer.withThreads(fake);
    client = ZeroShotClient.wrap(server.channel(), GENEROUS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
    if (directServer != null) {
      directServer.close();
    }
  }

  /** Returns a client of the fake on direct executors: callbacks run on the calling thread. */
  private ZeroShotClient directClient() {
    directServer = new InProcessServer(fake);
    return ZeroShotClient.wrap(directServer.channel(), GENEROUS);
  }

  /** Request i classifies the text "item i" against cat, dog; null labels = no labels. */
  private static ClassifyRequest request(int i, String... labels) {
    List<String> list = labels.length == 0 ? List.of("cat", "dog") : List.of(labels);
    return ClassifyRequest.newBuilder().setText("item " + i).addAllLabels(list).build();
  }

  private static Iterator<ClassifyStreamRequest> items(int count) {
    return StreamRequests.withSequentialIds(
        IntStream.range(0, count).mapToObj(ClassifyStreamTest::request).iterator());
  }

  private static ClassifyStreamRequest item(String id) {
    return ClassifyStreamRequest.newBuilder().setRequestId(id).setRequest(request(0)).build();
  }

  @Test
  void everyItemIsAnsweredExactlyOnceWithItsIdThoughOutOfOrder() throws Exception {
    StreamSummary summary =
        client.classifyStream(items(200), 8, results::add).get(10, TimeUnit.SECONDS);

    assertThat(summary).isEqualTo(new StreamSummary(200, 200, 0));
    List<String> ids = results.stream().map(ClassifyStreamResponse::getRequestId).toList();
    List<String> expected = IntStream.range(0, 200).mapToObj(Integer::toString).toList();
    assertThat(ids).containsExactlyInAnyOrderElementsOf(expected).isNotEqualTo(expected);
    for (ClassifyStreamResponse result : results) {
      int i = Integer.parseInt(result.getRequestId());
      assertThat(result.getResponse()).isEqualTo(FakeZeroShotService.classifyResponse(request(i)));
    }
  }

  // The next two run on direct executors: every callback runs inline, so once a call returns the
  // client has sent all it will until the next answer, and what the fake saw is final.

  @Test
  void neverMoreThanMaxInFlightItemsAreUnansweredAtTheServer() throws Exception {
    fake.holdStreamAnswers();
    int maxInFlight = 4;
    ZeroShotClient client = directClient();

    CompletableFuture<StreamSummary> future =
        client.classifyStream(items(50), maxInFlight, results::add);
    FakeClassifyStream stream = fake.streams.take();
    assertThat(stream.received()).isEqualTo(maxInFlight);
    while (!future.isDone()) {
      stream.answerHeld(); // newest first; each answer lets the client send one more
    }

    assertThat(future.get()).isEqualTo(new StreamSummary(50, 50, 0));
    assertThat(stream.maxUnanswered()).isEqualTo(maxInFlight);
    assertThat(stream.received()).isEqualTo(50);
  }

  @Test
  void sourceIsPulledOnlyAsFastAsItemsAreAnswered() throws Exception {
    fake.holdStreamAnswers();
    AtomicLong pulled = new AtomicLong();
    Iterator<ClassifyRequest> millionRequests =
        Stream.iterate(0, i -> i + 1)
            .limit(1_000_000)
            .peek(i -> pulled.incrementAndGet())
            .map(ClassifyStreamTest::request)
            .iterator();
    int maxInFlight = 8;
    int stopAfter = 100;
    ZeroShotClient client = directClient();

    CompletableFuture<StreamSummary> future =
        client.classifyStream(
            StreamRequests.withSequentialIds(millionRequests), maxInFlight, results::add);
    FakeClassifyStream stream = fake.streams.take();
    while (results.size() < stopAfter) {
      stream.answerHeld();
    }
    assertThat(future.cancel(true)).isTrue();

    // Answers come maxInFlight at a time, so a little over stopAfter may have arrived.
    int answered = results.size();
    assertThat(answered).isBetween(stopAfter, stopAfter + maxInFlight - 1);
    assertThat(pulled.get()).isLessThanOrEqualTo(answered + maxInFlight);
    assertThat(fake.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    stream.answerHeld(); // too late: the call is cancelled
    assertThat(results).hasSize(answered);
  }

  @Test
  void perItemErrorsReachTheConsumerAndTheStreamGoesOn() throws Exception {
    Iterator<ClassifyRequest> requests =
        IntStream.range(0, 10)
            .mapToObj(
                i -> i == 3 || i == 7 ? request(i).toBuilder().clearLabels().build() : request(i))
            .iterator();

    StreamSummary summary =
        client
            .classifyStream(StreamRequests.withSequentialIds(requests), 4, results::add)
            .get(10, TimeUnit.SECONDS);

    assertThat(summary).isEqualTo(new StreamSummary(10, 8, 2));
    List<ClassifyStreamResponse> errors =
        results.stream().filter(ClassifyStreamResponse::hasError).toList();
    assertThat(errors)
        .extracting(ClassifyStreamResponse::getRequestId)
        .containsExactlyInAnyOrder("3", "7");
    assertThat(errors.get(0).getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(errors.get(0).getError().getMessage())
        .isEqualTo("labels: empty (expected: 1 to 1000 labels, or a label_set)");
  }

  @Test
  void streamLevelErrorFailsTheFutureWithTheStatus() {
    Iterator<ClassifyStreamRequest> emptyId = List.of(item("1"), item("")).iterator();

    assertThat(client.classifyStream(emptyId, 4, results::add))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith("request_id: empty");
            });
  }

  @Test
  void cancellingTheFutureCancelsTheCallOnTheServer() throws Exception {
    fake.holdStreamAnswers();
    CompletableFuture<StreamSummary> future = client.classifyStream(items(100), 4, results::add);
    assertThat(fake.streams.take().awaitHeld(4)).isTrue();

    assertThat(future.cancel(true)).isTrue();

    // The stream has no deadline: only the cancellation can count the latch down.
    assertThat(fake.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(results).isEmpty();
  }

  @Test
  void idAlreadyInFlightFailsBeforeItIsSentAndCancelsTheCall() throws Exception {
    fake.holdStreamAnswers();
    Iterator<ClassifyStreamRequest> duplicate = List.of(item("a"), item("a")).iterator();

    assertThat(client.classifyStream(duplicate, 4, results::add))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalArgumentException.class)
        .withMessage("request_id: \"a\" (expected: not in flight)");
    assertThat(fake.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(fake.streams.take().received()).isEqualTo(1);
  }

  @Test
  void consumerThatThrowsFailsTheFutureWithItsException() {
    IllegalStateException boom = new IllegalStateException("disk full");

    assertThat(
            client.classifyStream(
                items(10),
                2,
                result -> {
                  throw boom;
                }))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCause(boom);
  }

  @Test
  void streamThatOutlivesItsDeadlineFailsWithDeadlineExceeded() {
    fake.holdStreamAnswers();

    assertThat(client.classifyStream(items(10), 2, results::add, Duration.ofMillis(50)))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void emptySourceHalfClosesAtOnceAndCompletesWithZeroCounts() throws Exception {
    assertThat(client.classifyStream(items(0), 1, results::add).get(10, TimeUnit.SECONDS))
        .isEqualTo(new StreamSummary(0, 0, 0));
  }

  @Test
  void maxInFlightBelowOneIsRejectedWithoutCalling() {
    assertThatThrownBy(() -> client.classifyStream(items(1), 0, results::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInFlight: 0 (expected: >= 1)");
    assertThat(fake.streams).isEmpty();
  }
}
