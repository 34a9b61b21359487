package zeroshot.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in Prometheus text format on its own port, apart from gRPC, so that
 * scrapes never compete with inference traffic for the gRPC transport.
 */
public final class MetricsHttpServer implements AutoCloseable {
  /** Prometheus text exposition format 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private MetricsHttpServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving {@code metrics} on {@code host:port} (port 0: any free port).
   *
   * @throws IOException naming {@code --metrics-port} and the address if the port is taken
   */
  public static MetricsHttpServer start(String host, int port, ServerMetrics metrics)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (BindException e) {
      throw new IOException(
          "--metrics-port: "
              + host
              + ":"
              + port
              + " cannot be bound: "
              + e.getMessage()
              + " (expected: a free port, or -1 for no metrics)",
          e);
    }
    server.createContext("/metrics", exchange -> respond(exchange, metrics));
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    return new MetricsHttpServer(server);
  }

  private static void respond(HttpExchange exchange, ServerMetrics metrics) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
