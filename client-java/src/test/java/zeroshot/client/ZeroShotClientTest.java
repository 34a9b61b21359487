package zeroshot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.EmbedTextsResponse;
import zeroshot.v1.Image;

class ZeroShotClientTest {

  // Long enough never to pass in a test that expects an answer or a cancellation.
  private static final Duration GENEROUS = Duration.ofMinutes(1);
  private static final Duration SHORT = Duration.ofMillis(50);
  private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G'};
  private static final List<String> LABELS = List.of("cat", "dog", "car");

  private final FakeZeroShotService fake = new FakeZeroShotService();
  private InProcessServer server;
  private ZeroShotClient client;

  @BeforeEach
  void start() {
    server = new InProcessServer(fake);
    client = ZeroShotClient.wrap(server.channel(), GENEROUS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    client.close();
    server.close();
  }

  @Test
  void classifyImageSendsTheBytesLabelsAndTopKAndReturnsTheServersScores() throws Exception {
    ClassifyResponse response = client.classifyImage(IMAGE, LABELS, 2);

    ClassifyRequest sent = (ClassifyRequest) fake.requests.take();
    assertThat(sent.getImage().getEncoded().toByteArray()).isEqualTo(IMAGE);
    assertThat(sent.getLabelsList()).containsExactlyElementsOf(LABELS);
    assertThat(sent.getTopK()).isEqualTo(2);
    assertThat(sent.getModel()).isEmpty();
    assertThat(response).isEqualTo(FakeZeroShotService.classifyResponse(sent));
    assertThat(response.getScoresList()).extracting("label").containsExactly("cat", "dog");
  }

  @Test
  void classifyTextSendsTheText() throws Exception {
    ClassifyResponse response = client.classifyText("a purring animal", LABELS, 0, GENEROUS);

    ClassifyRequest sent = (ClassifyRequest) fake.requests.take();
    assertThat(sent.getText()).isEqualTo("a purring animal");
    assertThat(response.getScoresCount()).isEqualTo(3);
  }

  @Test
  void classifySendsTheRequestAsGiven() throws Exception {
    ClassifyRequest request =
        ClassifyRequest.newBuilder()
            .setModel("fake-large")
            .setText("x")
            .addAllLabels(LABELS)
            .setPromptTemplate("a photo of a {}.")
            .build();

    client.classify(request);

    assertThat(fake.requests.take()).isEqualTo(request);
  }

  @Test
  void embedCallsReturnOneEmbeddingPerInputInOrder() {
    Image image = Image.newBuilder().setEncoded(ByteString.copyFrom(IMAGE)).build();
    var images = client.embedImages(EmbedImagesRequest.newBuilder().addImages(image).build());
    var texts =
        client.embedTexts(EmbedTextsRequest.newBuilder().addTexts("a").addTexts("b").build());

    assertThat(images.getEmbeddingsList()).isEqualTo(FakeZeroShotService.embeddings(1));
    assertThat(texts.getEmbeddingsList()).isEqualTo(FakeZeroShotService.embeddings(2));
    assertThat(texts.getDimension()).isEqualTo(FakeZeroShotService.DIMENSION);
  }

  @Test
  void listModelsReturnsTheServersModels() {
    assertThat(client.listModels()).isEqualTo(FakeZeroShotService.modelsResponse());
  }

  @Test
  void asyncCallsCompleteWithTheServersAnswers() throws Exception {
    ClassifyRequest request = ClassifyRequest.newBuilder().setText("x").addLabels("cat").build();
    EmbedTextsRequest texts = EmbedTextsRequest.newBuilder().addTexts("a").build();
    EmbedImagesRequest images =
        EmbedImagesRequest.newBuilder()
            .addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(IMAGE)))
            .build();

    assertThat(client.classifyAsync(request).get(5, TimeUnit.SECONDS))
        .isEqualTo(FakeZeroShotService.classifyResponse(request));
    assertThat(client.embedTextsAsync(texts).get(5, TimeUnit.SECONDS).getEmbeddingsList())
        .isEqualTo(FakeZeroShotService.embeddings(1));
    assertThat(client.embedImagesAsync(images).get(5, TimeUnit.SECONDS).getEmbeddingsCount())
        .isEqualTo(1);
    assertThat(client.listModelsAsync().get(5, TimeUnit.SECONDS))
        .isEqualTo(FakeZeroShotService.modelsResponse());
    assertThat(List.copyOf(fake.requests)).hasSize(4).startsWith(request, texts, images);
  }

  @Test
  void blockingCallThatOutlivesItsDeadlineFailsWithDeadlineExceeded() {
    fake.stopAnswering();

    assertThatThrownBy(() -> client.classifyText("x", LABELS, 0, SHORT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void asyncCallThatOutlivesTheDefaultDeadlineCompletesWithDeadlineExceeded() {
    fake.stopAnswering();
    ZeroShotClient impatient = ZeroShotClient.wrap(server.channel(), SHORT);

    CompletableFuture<EmbedTextsResponse> future =
        impatient.embedTextsAsync(EmbedTextsRequest.newBuilder().addTexts("x").build());

    assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void cancellingTheFutureCancelsTheCallOnTheServer() throws Exception {
    fake.stopAnswering();
    CompletableFuture<ClassifyResponse> future =
        client.classifyAsync(ClassifyRequest.newBuilder().setText("x").addLabels("cat").build());
    assertThat(fake.requests.poll(5, TimeUnit.SECONDS)).isNotNull();

    assertThat(future.cancel(true)).isTrue();

    // The deadline is a minute away: only the cancellation can count the latch down in time.
    assertThat(fake.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(future).isCancelled();
  }

  @Test
  void serverErrorIsThrownAsStatusRuntimeExceptionWithItsCodeAndDescription() {
    assertThatThrownBy(() -> client.classifyText("x", List.of("cat", " "), 0))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("labels[1]: blank (expected: a non-blank label)");
            });
  }

  @Test
  void asyncServerErrorCompletesTheFutureWithStatusRuntimeException() {
    ClassifyRequest request = ClassifyRequest.newBuilder().setText("x").addLabels("").build();

    assertThat(client.classifyAsync(request))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void negativeTopKIsRejectedWithoutCallingTheServer() {
    assertThatThrownBy(() -> client.classifyImage(IMAGE, LABELS, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topK: -1 (expected: >= 0)");
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void deadlineThatIsNotPositiveIsRejected() {
    assertThatThrownBy(() -> client.listModels(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deadline: PT0S (expected: > 0)");
    assertThatThrownBy(() -> ZeroShotClient.wrap(server.channel(), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultDeadline: PT-1S (expected: > 0)");
  }

  @Test
  void closeLeavesAWrappedChannelOpen() {
    client.close();

    assertThat(server.channel().isShutdown()).isFalse();
    assertThat(client.listModels().getDefaultModel()).isEqualTo(FakeZeroShotService.MODEL);
  }
}
