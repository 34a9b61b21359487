package zeroshot.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this client, the Maven project version written into {@code version.properties} at
 * build time: the one source of the version that {@code zeroshot --version}, the user agent of
 * every call and the bench report print.
 */
public final class ClientVersion {

  private static final String VERSION = read();

  private ClientVersion() {}

  /** Returns the version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a build. */
  public static String get() {
    return VERSION;
  }

  /** Returns the user agent of this client's calls, e.g. {@code zeroshot-java/0.1.0-SNAPSHOT}. */
  public static String userAgent() {
    return "zeroshot-java/" + VERSION;
  }

  private static String read() {
    Properties properties = new Properties();
    try (InputStream in = ClientVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }
}
