package zeroshot.client.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the files named on the command line, failing with a message that names the file. */
final class InputFiles {

  private InputFiles() {}

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw unreadable(file, "no such file");
    } catch (AccessDeniedException e) {
      throw unreadable(file, "permission denied");
    } catch (IOException e) {
      throw unreadable(file, e.getMessage());
    }
  }

  private static CliException unreadable(Path file, String reason) {
    return new CliException(ZeroShotCli.EXIT_BAD_REQUEST, "cannot read " + file + ": " + reason);
  }
}
