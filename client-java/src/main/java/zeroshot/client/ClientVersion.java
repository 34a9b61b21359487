package zeroshot.client;

import zeroshot.cli.ProjectVersion;

/**
 * The version of this client: the project's version ({@link ProjectVersion}), which {@code zeroshot
 * --version}, the user agent of every call and the bench report print.
 */
public final class ClientVersion {

  private static final String VERSION = ProjectVersion.get();

  private ClientVersion() {}

  /** Returns the version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a build. */
  public static String get() {
    return VERSION;
  }

  /** Returns the user agent of this client's calls, e.g. {@code zeroshot-java/0.1.0-SNAPSHOT}. */
  public static String userAgent() {
    return "zeroshot-java/" + VERSION;
  }
}
