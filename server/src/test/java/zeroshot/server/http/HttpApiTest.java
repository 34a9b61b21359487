package zeroshot.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.TinyClipSamples;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.EmbedImagesResponse;
import zeroshot.v1.EmbedTextsResponse;
import zeroshot.v1.GetLabelSetResponse;
import zeroshot.v1.Image;
import zeroshot.v1.ListLabelSetsResponse;
import zeroshot.v1.ListModelsResponse;
import zeroshot.v1.PutLabelSetResponse;

/**
 * Every RPC over the HTTP/JSON port of a real server on the bundled model: the answers are the gRPC
 * port's, field for field, since both ports call the same service.
 */
class HttpApiTest {
  private static final List<String> LABELS =
      List.of("red star", "red circle", "green star", "blue square");
  private static RunningServer running;
  private static HttpCalls http;
  private static byte[] redStar;

  @BeforeAll
  static void start() throws Exception {
    running = RunningServer.readyOnTinyClip();
    http = HttpCalls.plaintext(running.server.httpPort());
    redStar = Files.readAllBytes(TinyClipSamples.DIR.resolve("shape_013_red_star.png"));
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
  }

  private static ClassifyResponse overGrpc() {
    return running
        .blocking()
        .classify(
            ClassifyRequest.newBuilder()
                .setImage(Image.newBuilder().setEncoded(ByteString.copyFrom(redStar)))
                .addAllLabels(LABELS)
                .setPromptTemplate("a photo of a {}")
                .build());
  }

  @Test
  void classifyWithABase64ImageAnswersAsGrpcDoes() throws Exception {
    String body =
        "{\"image\":{\"encoded\":\""
            + Base64.getEncoder().encodeToString(redStar)
            + "\"},\"labels\":[\"red star\",\"red circle\",\"green star\",\"blue square\"],"
            + "\"promptTemplate\":\"a photo of a {}\"}";

    HttpResponse<String> response = http.post("/v1/classify", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains(Responses.JSON);
    ClassifyResponse answer =
        HttpCalls.parse(response.body(), ClassifyResponse.newBuilder()).build();
    assertThat(answer).isEqualTo(overGrpc());
    assertThat(answer.getScores(0).getLabel()).isEqualTo("red star");
    // Every field is printed, defaults included, so clients need no defaulting rules.
    assertThat(response.body()).contains("\"noMatch\":false").contains("\"warnings\":[]");
  }

  @Test
  void classifyTakesAMultipartFormWithCommaSeparatedLabels() throws Exception {
    Map<String, Object> form = new LinkedHashMap<>();
    form.put("image", redStar);
    form.put("labels", String.join(",", LABELS));
    form.put("prompt_template", "a photo of a {}");
    form.put("top_k", "2");

    HttpResponse<String> response = http.form("/v1/classify", form);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    ClassifyResponse answer =
        HttpCalls.parse(response.body(), ClassifyResponse.newBuilder()).build();
    assertThat(answer.getScoresList()).isEqualTo(overGrpc().getScoresList().subList(0, 2));
  }

  @Test
  void classifyATextAndEmbedTextsAndImages() throws Exception {
    HttpResponse<String> text =
        http.post(
            "/v1/classify", "{\"text\":\"a red star\",\"labels\":[\"red star\",\"sneaker\"]}");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(HttpCalls.parse(text.body(), ClassifyResponse.newBuilder()).getScores(0).getLabel())
        .isEqualTo("red star");

    HttpResponse<String> texts = http.post("/v1/embed/texts", "{\"texts\":[\"a\",\"b c\"]}");
    EmbedTextsResponse t = HttpCalls.parse(texts.body(), EmbedTextsResponse.newBuilder()).build();
    assertThat(t.getEmbeddingsList()).hasSize(2);
    assertThat(t.getEmbeddings(0).getValuesCount()).isEqualTo(t.getDimension());

    Map<String, Object> form = new LinkedHashMap<>();
    form.put("image", List.of(redStar, redStar));
    HttpResponse<String> images = http.form("/v1/embed/images", form);
    assertThat(images.statusCode()).as(images.body()).isEqualTo(200);
    EmbedImagesResponse i =
        HttpCalls.parse(images.body(), EmbedImagesResponse.newBuilder()).build();
    assertThat(i.getEmbeddingsList()).hasSize(2);
    assertThat(i.getEmbeddings(0)).isEqualTo(i.getEmbeddings(1));
  }

  @Test
  void listModelsIsAGet() throws Exception {
    HttpResponse<String> response = http.get("/v1/models");

    assertThat(response.statusCode()).isEqualTo(200);
    ListModelsResponse models =
        HttpCalls.parse(response.body(), ListModelsResponse.newBuilder()).build();
    assertThat(models.getDefaultModel()).isEqualTo("tiny-clip");
    assertThat(models.getModels(0).getReady()).isTrue();
  }

  @Test
  void labelSetsArePutGotListedUsedAndDeleted() throws Exception {
    HttpResponse<String> put =
        http.put(
            "/v1/labelsets/http-shapes",
            "{\"labels\":[{\"label\":\"red star\"},{\"label\":\"blue square\"}],"
                + "\"promptTemplates\":[\"a photo of a {}\"]}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(HttpCalls.parse(put.body(), PutLabelSetResponse.newBuilder()).getInfo().getName())
        .isEqualTo("http-shapes");

    GetLabelSetResponse got =
        HttpCalls.parse(
                http.get("/v1/labelsets/http-shapes?model=tiny-clip").body(),
                GetLabelSetResponse.newBuilder())
            .build();
    assertThat(got.getLabelSet().getLabelsCount()).isEqualTo(2);
    assertThat(
            HttpCalls.parse(http.get("/v1/labelsets").body(), ListLabelSetsResponse.newBuilder())
                .getLabelSetsList())
        .anySatisfy(info -> assertThat(info.getName()).isEqualTo("http-shapes"));

    HttpResponse<String> classified =
        http.post(
            "/v1/classify",
            "{\"image\":{\"encoded\":\""
                + Base64.getEncoder().encodeToString(redStar)
                + "\"},\"labelSet\":\"http-shapes\"}");
    assertThat(
            HttpCalls.parse(classified.body(), ClassifyResponse.newBuilder())
                .getScores(0)
                .getLabel())
        .isEqualTo("red star");

    assertThat(http.delete("/v1/labelsets/http-shapes").statusCode()).isEqualTo(200);
    HttpResponse<String> gone = http.get("/v1/labelsets/http-shapes");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.body()).contains("\"code\":5").contains("http-shapes");
  }

  @Test
  void classifyStreamAnswersEachLineAndAnItemErrorDoesNotEndIt() throws Exception {
    String image = Base64.getEncoder().encodeToString(redStar);
    String body =
        "{\"requestId\":\"a\",\"request\":{\"image\":{\"encoded\":\""
            + image
            + "\"},\"labels\":[\"red star\",\"blue square\"]}}\n"
            + "{\"requestId\":\"b\",\"request\":{\"text\":\"a red star\"}}\n"
            + "\n"
            + "{\"requestId\":\"c\",\"request\":{\"text\":\"a red star\",\"labels\":[\"red star\",\"sneaker\"]}}";

    HttpResponse<String> response = http.post("/v1/classify:stream", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains(StreamExchange.NDJSON);
    List<String> lines = response.body().lines().toList();
    assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("{\"result\":"));
    assertThat(lines)
        .anySatisfy(line -> assertThat(line).contains("\"requestId\":\"b\"").contains("\"code\":3"))
        .anySatisfy(line -> assertThat(line).contains("\"requestId\":\"a\"").contains("red star"));
  }

  @Test
  void aStreamLineThatIsNotJsonEndsTheStreamNamingTheLine() throws Exception {
    String body =
        "{\"requestId\":\"a\",\"request\":{\"text\":\"x\",\"labels\":[\"y\"]}}\n{not json\n";

    HttpResponse<String> response = http.post("/v1/classify:stream", body);

    // Whether the first item's answer got out before the bad line is a race; the end is not.
    String last = response.body().lines().reduce((a, b) -> b).orElse(response.body());
    assertThat(last).contains("\"code\":3").contains("line 2");
  }

  @Test
  void thePlaygroundIsServedAtTheRootWithAPolicyThatKeepsItOffline() throws Exception {
    HttpResponse<String> page = http.get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("content-security-policy"))
        .contains(StaticFiles.CONTENT_SECURITY_POLICY);
    assertThat(page.body()).doesNotContain("http://").doesNotContain("https://");
  }
}
