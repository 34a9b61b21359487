package zeroshot.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The playground page and its files, from the jar ({@code zeroshot/server/http/playground/}):
 * {@code /} is {@code index.html}. They are read once, when the port opens, so a request for any
 * other path costs no lookup and leaves nothing behind. Nothing is fetched from elsewhere, so the
 * page works offline; the Content-Security-Policy keeps it so (scripts and styles from this port
 * only, images from it or from the files the user picks).
 */
final class StaticFiles {
  private static final String FOLDER = "/zeroshot/server/http/playground/";

  /** Every file of the folder, with its content type. */
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "playground.js", "text/javascript; charset=utf-8",
          "playground.css", "text/css; charset=utf-8");

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self';"
          + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private final Map<String, byte[]> files;

  /**
   * Reads every file from the jar.
   *
   * @throws UncheckedIOException if one is missing or unreadable: the jar is broken
   */
  StaticFiles() {
    Map<String, byte[]> read = new HashMap<>();
    FILES.keySet().forEach(name -> read.put(name, read(name)));
    files = Map.copyOf(read);
  }

  /** The response for {@code path} (e.g. "/" or "/playground.js"), or empty when there is none. */
  Optional<FullHttpResponse> get(String path) {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    byte[] bytes = files.get(name);
    if (bytes == null) {
      return Optional.empty();
    }
    FullHttpResponse response =
        Responses.full(HttpResponseStatus.OK, FILES.get(name), Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    response.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    return Optional.of(response);
  }

  private static byte[] read(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IOException("not in the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FOLDER + name + ": " + e.getMessage(), e);
    }
  }
}
