package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.ZeroShotServer;
import zeroshot.server.config.Limits;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.Vectors;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedImagesResponse;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.EmbedTextsResponse;
import zeroshot.v1.Image;
import zeroshot.v1.ListModelsRequest;
import zeroshot.v1.ModelInfo;

/** The bundled model served on a real loopback port gives what it gives in-process. */
class TinyClipOverGrpcTest {
  private static final Path SAMPLES = TestModels.tinyClip().resolve("samples");
  private static RunningServer running;
  private static TorchScriptClipModel local;

  @BeforeAll
  static void start() throws Exception {
    List<Path> models = List.of(TestModels.tinyClip());
    running =
        RunningServer.ready(
            RunningServer.config(models, 2, 64, Limits.defaults(), Duration.ofSeconds(5)),
            TorchScriptClipModel::load);
    local =
        TorchScriptClipModel.load(ManifestReader.read(TestModels.tinyClip()), ComputeDevice.cpu());
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
    local.close();
  }

  @Test
  void classifiesTheSampleSetOverGrpcExactlyAsInProcess() throws Exception {
    JsonObject python = evalSamples();
    ImagePreprocessor preprocessor = new ImagePreprocessor(local.manifest().image().preprocess());
    ImageDecoder decoder = new ImageDecoder(40_000_000);
    int correct = 0;
    int total = 0;
    List<String> lines = Files.readAllLines(SAMPLES.resolve("labels.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      JsonObject kind = python.getAsJsonObject(f[1]);
      List<String> labels =
          kind.getAsJsonArray("labels").asList().stream().map(JsonElement::getAsString).toList();
      String template = kind.get("prompt").getAsString();
      byte[] bytes = Files.readAllBytes(SAMPLES.resolve(f[0]));

      ClassifyResponse response = running.blocking().classify(request(bytes, labels, template, 1));

      float[] image = local.embedImages(List.of(preprocessor.toTensor(decoder.decode(bytes))))[0];
      float[][] prompts =
          local.embedTexts(labels.stream().map(l -> template.replace("{}", l)).toList());
      int best = 0;
      for (int j = 1; j < prompts.length; j++) {
        best = Vectors.dot(image, prompts[j]) > Vectors.dot(image, prompts[best]) ? j : best;
      }
      assertThat(response.getScoresList()).hasSize(1);
      assertThat(response.getScores(0).getLabel()).as(f[0]).isEqualTo(labels.get(best));
      assertThat(response.getScores(0).getCosine())
          .isCloseTo(Vectors.dot(image, prompts[best]), within(1e-5f));
      correct += labels.get(best).equals(f[2]) ? 1 : 0;
      total++;
    }
    double accuracy = (double) correct / total;
    System.out.printf("samples over gRPC: top-1 %.2f%% of %d%n", 100 * accuracy, total);
    assertThat(accuracy)
        .isCloseTo(python.getAsJsonObject("all").get("top1").getAsDouble(), within(0.02));
  }

  @Test
  void probabilitiesAreASoftmaxOverAllLabelsSortedByScore() {
    byte[] image = sample("shape_000_blue_diamond.png");
    List<String> labels = List.of("blue diamond", "red circle", "green star", "pink heart");

    ClassifyResponse all =
        running.blocking().classify(request(image, labels, "a photo of a {}", 0));
    ClassifyResponse top2 =
        running.blocking().classify(request(image, labels, "a photo of a {}", 2));

    assertThat(all.getScoresList()).hasSize(4);
    assertThat(all.getScoresList().stream().mapToDouble(s -> s.getProbability()).sum())
        .isCloseTo(1.0, within(1e-5));
    for (int i = 1; i < 4; i++) {
      assertThat(all.getScores(i).getCosine())
          .isLessThanOrEqualTo(all.getScores(i - 1).getCosine());
    }
    assertThat(top2.getScoresList()).containsExactlyElementsOf(all.getScoresList().subList(0, 2));
    assertThat(all.getModel()).isEqualTo("tiny-clip");
    assertThat(all.getModelVersion()).isEqualTo("5.0.0");
  }

  @Test
  void labelsWithWordsTheModelDoesNotKnowComeBackWithAWarning() {
    ClassifyResponse r =
        running
            .blocking()
            .classify(
                request(
                    sample("shape_013_red_star.png"),
                    List.of("cat", "red star", "red zebra"),
                    "a photo of a {}",
                    0));

    assertThat(r.getWarningsList())
        .containsExactly(
            "label \"cat\": model tiny-clip does not know the word \"cat\"; unknown words all"
                + " embed alike, so labels made only of them score alike",
            "label \"red zebra\": model tiny-clip does not know the word \"zebra\"; unknown"
                + " words all embed alike, so labels made only of them score alike");
    ClassifyResponse known =
        running
            .blocking()
            .classify(
                request(sample("shape_013_red_star.png"), List.of("red star", "sneaker"), "{}", 0));
    assertThat(known.getWarningsList()).isEmpty();
  }

  @Test
  void classifiesATextAgainstLabels() {
    ClassifyResponse r =
        running
            .blocking()
            .classify(
                ClassifyRequest.newBuilder()
                    .setText("a running shoe")
                    .addAllLabels(List.of("sneaker", "dress", "bag"))
                    .setPromptTemplate("a photo of a {}")
                    .build());

    assertThat(r.getScoresList()).hasSize(3);
    assertThat(r.getScores(0).getLabel()).isEqualTo("sneaker");
  }

  @Test
  void embedImagesMatchesTheInProcessModel() throws Exception {
    List<String> files =
        List.of("shape_000_blue_diamond.png", "fashion_0_00019.png", "shape_002_brown_diamond.jpg");
    EmbedImagesRequest.Builder request = EmbedImagesRequest.newBuilder();
    files.forEach(f -> request.addImages(encoded(sample(f))));

    EmbedImagesResponse response = running.blocking().embedImages(request.build());

    assertThat(response.getDimension()).isEqualTo(128);
    assertThat(response.getEmbeddingsList()).hasSize(3);
    ImagePreprocessor preprocessor = new ImagePreprocessor(local.manifest().image().preprocess());
    for (int i = 0; i < files.size(); i++) {
      float[] expected =
          local
              .embedImages(
                  List.of(
                      preprocessor.toTensor(
                          new ImageDecoder(40_000_000).decode(sample(files.get(i))))))[0];
      assertThat(Vectors.dot(values(response.getEmbeddings(i).getValuesList()), expected))
          .isGreaterThan(0.99999f);
    }
  }

  @Test
  void embedTextsMatchesTheInProcessModel() {
    List<String> texts = List.of("a photo of a purple star", "an ankle boot", "zebra");

    EmbedTextsResponse response =
        running.blocking().embedTexts(EmbedTextsRequest.newBuilder().addAllTexts(texts).build());

    float[][] expected = local.embedTexts(texts);
    assertThat(response.getEmbeddingsList()).hasSize(3);
    for (int i = 0; i < texts.size(); i++) {
      float[] actual = values(response.getEmbeddings(i).getValuesList());
      assertThat(Vectors.dot(actual, actual)).isCloseTo(1f, within(1e-5f));
      assertThat(Vectors.dot(actual, expected[i])).isGreaterThan(0.99999f);
    }
  }

  @Test
  void listModelsDescribesTheLoadedModel() {
    var response = running.blocking().listModels(ListModelsRequest.getDefaultInstance());

    assertThat(response.getDefaultModel()).isEqualTo("tiny-clip");
    ModelInfo info = response.getModels(0);
    assertThat(info.getName()).isEqualTo("tiny-clip");
    assertThat(info.getDimension()).isEqualTo(128);
    assertThat(info.getImageSize()).isEqualTo(32);
    assertThat(info.getContextLength()).isEqualTo(16);
    assertThat(info.getDevice()).isEqualTo("cpu()");
    assertThat(info.getReady()).isTrue();
    assertThat(info.getLogitScale()).isEqualTo(local.manifest().logitScale());
    assertThat(info.getFamily()).isEqualTo("clip");
    assertThat(info.getScoring()).isEqualTo("softmax");
    assertThat(info.getLogitBias()).isZero();
    assertThat(info.getMaxPatches()).isZero();
    assertThat(info.getPreprocessMode()).isEqualTo("exact");
    assertThat(info.getImagePrecision()).isEqualTo("float32");
    assertThat(info.getTextPrecision()).isEqualTo("float32");
  }

  @Test
  void healthIsServingForTheServerAndTheService() {
    var health = HealthGrpc.newBlockingStub(running.channel);
    for (String service : List.of("", ZeroShotServer.SERVICE_NAME)) {
      assertThat(
              health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void reflectionListsTheService() throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(running.channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    answer.complete(r);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());

    List<String> services = new ArrayList<>();
    for (ServiceResponse s :
        answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList()) {
      services.add(s.getName());
    }
    requests.onCompleted();
    assertThat(services).contains("zeroshot.v1.ZeroShotService", "grpc.health.v1.Health");
  }

  static ClassifyRequest request(byte[] image, List<String> labels, String template, int topK) {
    return ClassifyRequest.newBuilder()
        .setImage(encoded(image))
        .addAllLabels(labels)
        .setPromptTemplate(template)
        .setTopK(topK)
        .build();
  }

  static Image encoded(byte[] bytes) {
    return Image.newBuilder().setEncoded(ByteString.copyFrom(bytes)).build();
  }

  static byte[] sample(String file) {
    try {
      return Files.readAllBytes(SAMPLES.resolve(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The labels the Python evaluation used for one kind of sample ("shape" or "fashion"). */
  static List<String> evalLabels(String kind) throws java.io.IOException {
    return evalSamples().getAsJsonObject(kind).getAsJsonArray("labels").asList().stream()
        .map(JsonElement::getAsString)
        .toList();
  }

  /** An embedding's values as the model's own float[]. */
  static float[] values(List<Float> list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static JsonObject evalSamples() throws java.io.IOException {
    return JsonParser.parseString(Files.readString(TestModels.tinyClip().resolve("eval.json")))
        .getAsJsonObject()
        .getAsJsonObject("samples");
  }
}
