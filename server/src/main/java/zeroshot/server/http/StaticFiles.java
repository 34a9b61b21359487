package zeroshot.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The playground page and its files, from the jar ({@code zeroshot/server/http/playground/}):
 * {@code /} is {@code index.html}. Nothing is fetched from elsewhere, so the page works offline;
 * the Content-Security-Policy keeps it so (scripts and styles from this port only, images from it
 * or from the files the user picks).
 */
final class StaticFiles {
  private static final String FOLDER = "/zeroshot/server/http/playground/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(html|js|css|svg|ico)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "ico", "image/x-icon");
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self';"
          + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

  /** The response for {@code path} (e.g. "/" or "/playground.js"), or empty when there is none. */
  Optional<FullHttpResponse> get(String path) {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return files
        .computeIfAbsent(name, StaticFiles::read)
        .map(
            bytes -> {
              String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
              FullHttpResponse response =
                  Responses.full(HttpResponseStatus.OK, type, Unpooled.wrappedBuffer(bytes));
              response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
              response
                  .headers()
                  .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
              return response;
            });
  }

  private static Optional<byte[]> read(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(FOLDER + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FOLDER + name + " from the jar", e);
    }
  }
}
