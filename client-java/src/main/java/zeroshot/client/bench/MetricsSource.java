package zeroshot.client.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Where the server's {@code /metrics} are read from; tests pass canned text. */
@FunctionalInterface
public interface MetricsSource {

  /** Returns the current samples; throws if they cannot be read. */
  List<PrometheusText.Sample> scrape() throws IOException;

  /** Reads {@code url} over HTTP (only that address), waiting at most 5 seconds. */
  static MetricsSource http(URI url) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
    return () -> {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IOException("HTTP " + response.statusCode() + " (expected: 200)");
        }
        return PrometheusText.parse(response.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    };
  }
}
