package zeroshot.client.cli;

import picocli.CommandLine.IVersionProvider;
import zeroshot.client.ClientVersion;

/** The {@code --version} of every command: {@code zeroshot} and the {@link ClientVersion}. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"zeroshot " + ClientVersion.get()};
  }
}
