package zeroshot.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.OptionalDouble;
import zeroshot.server.ZeroShotServer;

/** One read of a running server's {@code /metrics}, as Prometheus scrapes it. */
public final class MetricsScrape {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String text;

  private MetricsScrape(String text) {
    this.text = text;
  }

  /** Scrapes {@code server}, whose metrics must be on. */
  public static MetricsScrape of(ZeroShotServer server) {
    URI uri = URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics");
    try {
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(uri + ": HTTP " + response.statusCode());
      }
      return new MetricsScrape(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The value of one series, written as the exposition writes it (labels in name order), e.g.
   * {@code zeroshot_batch_queue_depth_items{encoder="image",model="tiny-clip"}}; empty if absent.
   */
  public OptionalDouble value(String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return OptionalDouble.of(
            Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]));
      }
    }
    return OptionalDouble.empty();
  }

  /** The sum of every series of metric {@code name}, whatever its labels. */
  public double sum(String name) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        String[] parts = line.trim().split(" "); // the server writes no timestamps
        sum += Double.parseDouble(parts[parts.length - 1]);
      }
    }
    return sum;
  }
}
