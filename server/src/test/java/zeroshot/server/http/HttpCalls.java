package zeroshot.server.http;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A JDK HTTP client on one port of the HTTP/JSON API, for tests. */
final class HttpCalls {
  private final HttpClient client;
  private final String base;

  HttpCalls(String base) {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), base);
  }

  HttpCalls(HttpClient client, String base) {
    this.client = client;
    this.base = base;
  }

  static HttpCalls plaintext(int port) {
    return new HttpCalls("http://127.0.0.1:" + port);
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    return send(request(path, headers).GET());
  }

  HttpResponse<String> delete(String path, String... headers) throws Exception {
    return send(request(path, headers).DELETE());
  }

  HttpResponse<String> post(String path, String json, String... headers) throws Exception {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> put(String path, String json, String... headers) throws Exception {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A multipart/form-data POST: values are text parts, byte[] values are file parts. */
  HttpResponse<String> form(String path, Map<String, ?> parts) throws Exception {
    String boundary = "----zeroshot" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, ?> part : parts.entrySet()) {
      for (Object value :
          part.getValue() instanceof Iterable<?> many ? many : java.util.List.of(part.getValue())) {
        write(body, "--" + boundary + "\r\n");
        if (value instanceof byte[] bytes) {
          write(
              body,
              "Content-Disposition: form-data; name=\""
                  + part.getKey()
                  + "\"; filename=\"upload.png\"\r\nContent-Type: application/octet-stream\r\n\r\n");
          body.write(bytes);
        } else {
          write(body, "Content-Disposition: form-data; name=\"" + part.getKey() + "\"\r\n\r\n");
          write(body, value.toString());
        }
        write(body, "\r\n");
      }
    }
    write(body, "--" + boundary + "--\r\n");
    return send(
        request(path)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  static <T extends Message.Builder> T parse(String json, T builder) throws IOException {
    JsonFormat.parser().merge(json, builder);
    return builder;
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void write(ByteArrayOutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }
}
