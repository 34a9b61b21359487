package zeroshot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Maven project version, written into {@code version.properties} at build time: the one source
 * of the version that the server's and the client's {@code --version}, the client's user agent and
 * the bench report print.
 */
public final class ProjectVersion {
  private static final String VERSION = read();

  private ProjectVersion() {}

  /** Returns the version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a build. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    Properties properties = new Properties();
    try (InputStream in = ProjectVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }
}
