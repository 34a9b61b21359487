package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zeroshot.client.FakeZeroShotService;
import zeroshot.client.InProcessServer;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.Image;

/** Both loops over gRPC (in-process, with threads as a real channel has) on the real clock. */
@Timeout(30)
class SendersOverGrpcTest {

  private static final StepLimits SHORT =
      new StepLimits(
          Duration.ofMillis(100), Duration.ofMillis(300), 1_000_000, Duration.ofSeconds(5));

  // The fake holds a stream's item until a second one arrives, so a stream step may end with one
  // item per stream never answered: stream steps wait only briefly for their last answers.
  private static final StepLimits SHORT_STREAM =
      new StepLimits(
          Duration.ofMillis(100), Duration.ofMillis(300), 1_000_000, Duration.ofMillis(300));

  private final FakeZeroShotService fake = new FakeZeroShotService();
  private final InProcessServer server = InProcessServer.withThreads(fake);
  private final ZeroShotClient client =
      ZeroShotClient.wrap(server.channel(), Duration.ofSeconds(5));

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  private static List<ClassifyRequest> requests(String... labels) {
    return List.of(
        ClassifyRequest.newBuilder()
            .addAllLabels(List.of(labels))
            .setImage(Image.newBuilder().setEncoded(ByteString.copyFromUtf8("png")))
            .build());
  }

  @Test
  void closedLoopOfUnaryCalls() {
    Sender sender = new UnarySender(client, requests("cat", "dog"), Duration.ofSeconds(5));

    StepResult result =
        new ClosedLoop(sender, BenchClock.system()).run(4, SHORT, ProgressListener.NONE);

    assertThat(result.ok()).isPositive().isEqualTo(result.sent());
    assertThat(result.errors()).isEmpty();
    assertThat(result.unanswered()).isZero();
    assertThat(result.seconds()).isBetween(0.25, 2.0);
  }

  @Test
  void rejectedCallsAreCountedByTheirStatus() {
    Sender sender = new UnarySender(client, requests("cat", " "), Duration.ofSeconds(5));

    StepResult result =
        new ClosedLoop(sender, BenchClock.system()).run(2, SHORT, ProgressListener.NONE);

    assertThat(result.ok()).isZero();
    assertThat(result.errors()).containsOnlyKeys("INVALID_ARGUMENT");
    assertThat(result.errors().get("INVALID_ARGUMENT")).isEqualTo(result.sent()).isPositive();
  }

  @Test
  void closedLoopOverStreamsKeepsToTheWindow() throws Exception {
    StepResult result;
    // The fake answers once two items are unanswered: 4 callers over 2 streams of window 2.
    try (StreamSender sender = new StreamSender(client, requests("cat", "dog"), 2, 2)) {
      result =
          new ClosedLoop(sender, BenchClock.system()).run(4, SHORT_STREAM, ProgressListener.NONE);
    }

    assertThat(result.ok()).isPositive().isGreaterThanOrEqualTo(result.sent() - 2);
    assertThat(result.errors()).isEmpty();
    assertThat(fake.streams).hasSize(2);
    for (var stream : fake.streams) {
      assertThat(stream.maxUnanswered()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void perItemStreamErrorsAreCountedByTheirStatus() throws Exception {
    StepResult result;
    try (StreamSender sender = new StreamSender(client, requests("cat", ""), 1, 8)) {
      result =
          new ClosedLoop(sender, BenchClock.system()).run(2, SHORT_STREAM, ProgressListener.NONE);
    }

    assertThat(result.ok()).isZero();
    assertThat(result.errors()).containsOnlyKeys("INVALID_ARGUMENT");
    assertThat(result.errors().get("INVALID_ARGUMENT")).isGreaterThanOrEqualTo(result.sent() - 1);
  }

  @Test
  void openLoopOfUnaryCalls() {
    Sender sender = new UnarySender(client, requests("cat", "dog"), Duration.ofSeconds(5));

    StepResult result =
        new OpenLoop(sender, BenchClock.system(), new Random(1))
            .run(200, SHORT, ProgressListener.NONE);

    assertThat(result.ok()).isPositive().isEqualTo(result.sent());
    assertThat(result.lag()).isNotNull();
  }

  @Test
  void aServerThatNeverAnswersStillEndsTheStep() {
    fake.stopAnswering();
    Sender sender = new UnarySender(client, requests("cat", "dog"), Duration.ofSeconds(20));
    StepLimits limits =
        new StepLimits(Duration.ZERO, Duration.ofMillis(200), 1_000, Duration.ofMillis(200));

    long start = System.nanoTime();
    StepResult result =
        new ClosedLoop(sender, BenchClock.system()).run(3, limits, ProgressListener.NONE);

    assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
    assertThat(result.ok()).isZero();
    assertThat(result.sent()).isEqualTo(3);
    assertThat(result.unanswered()).isEqualTo(3);
  }
}
