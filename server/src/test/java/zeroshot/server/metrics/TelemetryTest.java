package zeroshot.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zeroshot.server.batching.BatchObserver;
import zeroshot.server.config.Limits;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.inference.StageTimer;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.Image;
import zeroshot.v1.ListModelsRequest;
import zeroshot.v1.PixelFormat;
import zeroshot.v1.RawImage;

/**
 * Metrics port -1: nothing is measured or served, and serving goes on as before; and {@code
 * --metrics-host} binds /metrics apart from gRPC.
 */
class TelemetryTest {

  @Test
  void offMeasuresNothingAndHasNoPort() throws Exception {
    Telemetry off = Telemetry.forPort("127.0.0.1", -1);

    assertThat(off).isSameAs(Telemetry.OFF);
    assertThat(off.port()).isEqualTo(-1);
    assertThat(off.interceptors()).isEmpty();
    assertThat(off.stageTimer()).isSameAs(StageTimer.NONE);
    assertThat(off.batchObserver("tiny-clip", "image")).isSameAs(BatchObserver.NONE);
    off.serve(null, List.of(), d -> 0, null, null);
    assertThat(off.port()).isEqualTo(-1);
  }

  @Test
  void metricsBindTheirOwnHostWhenOneIsGiven() throws Exception {
    // gRPC on 127.0.0.1, /metrics on 127.0.0.2 (both loopback): /metrics answers only there.
    ServerConfig base =
        RunningServer.config(
                List.of(TestModels.tinyClip()), 1, 8, Limits.defaults(), Duration.ofSeconds(1))
            .toBuilder()
            .metricsPort(0)
            .build();
    ServerConfig config = base.toBuilder().metricsHost("127.0.0.2").build();
    try (RunningServer running =
        RunningServer.ready(config, (manifest, device) -> new FakeEmbeddingModel(manifest))) {
      int port = running.server.metricsPort();

      assertThat(get("127.0.0.2", port)).isEqualTo(200);
      assertThatThrownBy(() -> get("127.0.0.1", port)).isInstanceOf(ConnectException.class);
      assertThat(config.metricsHost()).isEqualTo("127.0.0.2");
      assertThat(base.metricsHost()).isEqualTo(base.host());
    }
  }

  private static int get(String host, int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aServerWithMetricsOffClassifiesAndReportsNoMetricsPort() throws Exception {
    try (RunningServer running =
        RunningServer.ready(
            RunningServer.withoutMetrics(
                RunningServer.config(
                    List.of(TestModels.tinyClip()),
                    1,
                    8,
                    Limits.defaults(),
                    Duration.ofSeconds(1))),
            (manifest, device) -> new FakeEmbeddingModel(manifest))) {
      ClassifyRequest request =
          ClassifyRequest.newBuilder()
              .setImage(
                  Image.newBuilder()
                      .setRaw(
                          RawImage.newBuilder()
                              .setWidth(2)
                              .setHeight(2)
                              .setFormat(PixelFormat.PIXEL_FORMAT_RGB8)
                              .setPixels(ByteString.copyFrom(new byte[12]))))
              .addLabels("cat")
              .addLabels("dog")
              .build();

      assertThat(running.blocking().classify(request).getScoresCount()).isEqualTo(2);
      assertThat(running.server.metricsPort()).isEqualTo(-1);
      assertThat(
              running
                  .blocking()
                  .listModels(ListModelsRequest.getDefaultInstance())
                  .getMetricsPort())
          .isZero();
    }
  }
}
