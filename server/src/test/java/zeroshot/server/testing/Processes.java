package zeroshot.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the external tools the tests check with (Python, promtool, shell scripts). */
public final class Processes {
  private Processes() {}

  /**
   * How a command ended: its exit code and its stdout and stderr together. The exit code is 127
   * when it could not be started (the output is then the reason), 124 when it ran past its time and
   * was killed, 130 when this thread was interrupted while waiting, as a shell reports them.
   */
  public record Result(int exitCode, String output) {}

  /** Runs {@code command} in this directory for at most {@code timeoutSeconds}. */
  public static Result run(List<String> command, long timeoutSeconds) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(124, out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      p.destroyForcibly();
      return new Result(127, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Result(130, "interrupted");
    }
  }

  /**
   * Runs {@code command} as {@link #run} does, prints its output, and fails with that output unless
   * it exits 0: for the tool runs that make a test's fixtures.
   */
  public static void runOrFail(List<String> command, long timeoutSeconds) {
    Result result = run(command, timeoutSeconds);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited with "
              + result.exitCode()
              + ":\n"
              + result.output());
    }
    System.out.print(result.output());
  }

  /**
   * Runs the Python unit tests found in {@code testsDir} ({@code python -m unittest discover}),
   * prints their output, and fails with it unless at least one test ran and all passed.
   */
  public static void assertPythonTestsPass(Path python, Path testsDir, long timeoutSeconds) {
    Result result =
        run(
            List.of(python.toString(), "-m", "unittest", "discover", "-s", testsDir.toString()),
            timeoutSeconds);
    System.out.print(result.output());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).containsPattern("Ran [1-9][0-9]* tests").contains("OK");
  }

  /**
   * The first 12 hex digits of the SHA-256 of the {@code .py} files in {@code dirs}, folder by
   * folder, in name order: names a tool's outputs so that a changed tool, or a changed module it
   * imports from another folder, makes them again.
   */
  public static String pythonSourcesHash(Path... dirs) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path dir : dirs) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".py")).sorted().toList()) {
            sha.update(Files.readAllBytes(file));
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
