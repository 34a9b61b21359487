package zeroshot.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.config.Limits;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.server.testing.TestCertificates;

/**
 * Failures over the HTTP/JSON port, on a fake model: each gRPC status arrives as its HTTP status
 * with the google.rpc.Status as the body, and the port enforces the gRPC port's token, admission,
 * deadlines and TLS because its calls go through the same interceptors.
 */
class HttpErrorsTest {
  private static final String TEXT = "{\"text\":\"a red star\",\"labels\":[\"red star\",\"cat\"]}";
  @TempDir Path dir;
  private RunningServer running;
  private FakeEmbeddingModel fake;

  @AfterEach
  void stop() throws Exception {
    if (fake != null) {
      fake.open();
    }
    if (running != null) {
      running.close();
    }
  }

  private HttpCalls start(ServerConfig config) throws Exception {
    running =
        RunningServer.ready(config, (manifest, device) -> fake = new FakeEmbeddingModel(manifest));
    return HttpCalls.plaintext(running.server.httpPort());
  }

  private static ServerConfig config(int threads, int queued) {
    return RunningServer.config(
        List.of(TestModels.tinyClip()), threads, queued, Limits.defaults(), Duration.ofSeconds(1));
  }

  @Test
  void anInvalidArgumentIs400WithTheFieldViolation() throws Exception {
    HttpCalls http = start(config(1, 8));

    HttpResponse<String> r =
        http.post("/v1/classify", "{\"text\":\"x\",\"labels\":[\"cat\",\"cat\"]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).contains(Responses.JSON);
    assertThat(r.body())
        .startsWith("{\"code\":3,\"message\":\"labels[1]: ")
        .contains("\"@type\":\"type.googleapis.com/google.rpc.BadRequest\"")
        .contains("\"fieldViolations\":[{\"field\":\"labels[1]\"");
  }

  @Test
  void aBodyThatIsNotTheRequestIs400NamingWhatWasWrong() throws Exception {
    HttpCalls http = start(config(1, 8));

    HttpResponse<String> typo = http.post("/v1/classify", "{\"text\":\"x\",\"labls\":[\"cat\"]}");
    HttpResponse<String> notJson = http.post("/v1/classify", "{\"text\":");
    HttpResponse<String> query = http.get("/v1/labelsets?modle=tiny-clip");

    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(typo.body()).contains("labls").contains("\"field\":\"body\"");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not a zeroshot.v1.ClassifyRequest");
    assertThat(query.statusCode()).isEqualTo(400);
    assertThat(query.body()).contains("unknown field modle");
  }

  @Test
  void unknownModelsAndRoutesAre404AndAWrongVerbIs405() throws Exception {
    HttpCalls http = start(config(1, 8));

    HttpResponse<String> model =
        http.post("/v1/classify", "{\"model\":\"nope\"," + TEXT.substring(1));
    HttpResponse<String> route = http.get("/v1/clasify");
    HttpResponse<String> verb = http.get("/v1/classify");

    assertThat(model.statusCode()).isEqualTo(404);
    assertThat(model.body()).contains("\"code\":5").contains("tiny-clip");
    assertThat(route.statusCode()).isEqualTo(404);
    assertThat(route.body()).contains("POST /v1/classify").contains("GET /v1/models");
    assertThat(verb.statusCode()).isEqualTo(405);
    assertThat(verb.headers().firstValue("allow")).contains("POST");
  }

  @Test
  void theDeadlineHeaderIsTheCallsDeadline() throws Exception {
    HttpCalls http = start(config(1, 8));

    HttpResponse<String> expired = http.post("/v1/classify", TEXT, "grpc-timeout", "1n");
    HttpResponse<String> malformed = http.post("/v1/classify", TEXT, "grpc-timeout", "5 seconds");
    HttpResponse<String> ample = http.post("/v1/classify", TEXT, "grpc-timeout", "30S");

    assertThat(expired.statusCode()).isEqualTo(504);
    assertThat(expired.body()).contains("\"code\":4");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("grpc-timeout").contains("e.g. 5S or 500m");
    assertThat(ample.statusCode()).isEqualTo(200);
  }

  @Test
  void aServerAtCapacityAnswers429WithRetryAfter() throws Exception {
    // One preprocessing thread and no queue: admission takes one model call at a time.
    HttpCalls http = start(config(1, 0));
    CountDownLatch entered = fake.closeGate(1);
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(() -> call(http, TEXT));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> refused = http.post("/v1/classify", TEXT);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).contains("1");
    assertThat(refused.body())
        .contains("\"code\":8")
        .contains("type.googleapis.com/google.rpc.RetryInfo");
    fake.open();
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void shutdownAnswersTheCallInFlightAndRefusesNewOnesWith503() throws Exception {
    // Admission takes one call: any other call is refused at once (429 before the shutdown, 503
    // after), never queued behind the held one.
    HttpCalls http = start(config(1, 0));
    CountDownLatch entered = fake.closeGate(1);
    CompletableFuture<HttpResponse<String>> inFlight =
        CompletableFuture.supplyAsync(() -> call(http, TEXT));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> shutdown =
        CompletableFuture.runAsync(
            () -> {
              try {
                running.server.shutdown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    HttpResponse<String> late = null;
    for (int i = 0; i < 100 && late == null; i++) {
      HttpResponse<String> r = http.post("/v1/classify", TEXT);
      if (r.statusCode() == 503) {
        late = r;
      }
    }
    fake.open();

    assertThat(late).as("a call after the shutdown began is refused").isNotNull();
    assertThat(late.body()).contains("\"code\":14");
    assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    shutdown.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aModelNotLoadedYetIs503() throws Exception {
    running =
        RunningServer.started(
            config(1, 8), (manifest, device) -> fake = new FakeEmbeddingModel(manifest));
    HttpCalls http = HttpCalls.plaintext(running.server.httpPort());

    HttpResponse<String> r = http.post("/v1/classify", TEXT);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("\"code\":14");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    Limits small = new Limits(1024, 40_000_000L, 1000, 256, 2048, 256, 3_000);
    HttpCalls http = start(config(1, 8).toBuilder().limits(small).build());

    HttpResponse<String> r =
        http.post("/v1/classify", "{\"text\":\"" + "x".repeat(200_000) + "\"}");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("at most " + (3_000 * 4 / 3 + 65_536) + " bytes");
  }

  @Test
  void theBearerTokenIsCheckedAsOnTheGrpcPort() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "s3cret-token-0123456789\n");
    SecuritySettings security =
        new SecuritySettings(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(token), -1, true);
    HttpCalls http = start(config(1, 8).toBuilder().security(security).build());

    HttpResponse<String> none = http.get("/v1/models");
    HttpResponse<String> wrong = http.get("/v1/models", "Authorization", "Bearer guess");
    HttpResponse<String> right =
        http.get("/v1/models", "Authorization", "Bearer s3cret-token-0123456789");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate")).contains("Bearer");
    // JSON escapes quotes and angle brackets (\u0027, \u003c): read the message as a client does.
    assertThat(HttpCalls.parse(none.body(), com.google.rpc.Status.newBuilder()).getMessage())
        .isEqualTo("no authorization header (expected: 'authorization: Bearer <token>')");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("s3cret");
    assertThat(right.statusCode()).isEqualTo(200);
  }

  @Test
  void withTlsTheHttpPortIsHttpsOnly() throws Exception {
    TestCertificates authority = TestCertificates.authority(dir, "zeroshot-test");
    TestCertificates.Issued cert = authority.server("server");
    SecuritySettings tls =
        new SecuritySettings(
            Optional.of(cert.certificate()),
            Optional.of(cert.privateKey()),
            Optional.empty(),
            Optional.empty(),
            -1);
    start(config(1, 8).toBuilder().security(tls).build());
    int port = running.server.httpPort();
    HttpCalls https =
        new HttpCalls(
            HttpClient.newBuilder().sslContext(trusting(authority.certificate())).build(),
            "https://localhost:" + port);

    assertThat(https.get("/v1/models").statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> HttpCalls.plaintext(port).get("/v1/models"))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void httpCallsAreCountedUnderTheirMethodLikeGrpcCalls() throws Exception {
    HttpCalls http = start(config(1, 8));
    http.get("/v1/models");
    http.post("/v1/classify", "{}");

    String metrics = HttpCalls.plaintext(running.server.metricsPort()).get("/metrics").body();

    assertThat(metrics)
        .containsPattern("zeroshot_grpc_requests_total\\{[^}]*method=\"ListModels\"[^}]*\\} 1")
        .containsPattern(
            "zeroshot_grpc_requests_total\\{code=\"INVALID_ARGUMENT\",method=\"Classify\"[^}]*\\} 1");
  }

  private static HttpResponse<String> call(HttpCalls http, String body) {
    try {
      return http.post("/v1/classify", body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
