package zeroshot.server.config;

import picocli.CommandLine.IVersionProvider;
import zeroshot.cli.ProjectVersion;

/**
 * The server's {@code --version}: {@code zeroshot-server} and the project's version ({@link
 * ProjectVersion}), the same version the client prints.
 */
public final class ServerVersion implements IVersionProvider {

  /** Returns the version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a build. */
  public static String get() {
    return ProjectVersion.get();
  }

  @Override
  public String[] getVersion() {
    return new String[] {"zeroshot-server " + get()};
  }
}
