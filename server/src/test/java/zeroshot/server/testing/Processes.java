package zeroshot.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
}
