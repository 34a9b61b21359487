package zeroshot.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the external tools the deploy tests check with (npm, node, promtool, shell scripts). */
final class Processes {
  private Processes() {}

  /** How a command ended: its exit code and its stdout and stderr together. */
  record Result(int exitCode, String output) {}

  /** Runs {@code command} in {@code directory} (null: this one). */
  static Result run(List<String> command, Path directory, long timeoutSeconds)
      throws IOException, InterruptedException {
    return run(command, directory, Map.of(), timeoutSeconds);
  }

  /**
   * Runs {@code command} in {@code directory} (null: this one) with {@code environment} applied to
   * this process's: a null value removes the variable, a PATH entry goes in front of the inherited
   * PATH, any other entry replaces the variable.
   *
   * @throws AssertionError if it has not finished after {@code timeoutSeconds}
   */
  static Result run(
      List<String> command, Path directory, Map<String, String> environment, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Map<String, String> env = builder.environment();
    environment.forEach(
        (name, value) -> {
          if (value == null) {
            env.remove(name);
          } else if (name.equals("PATH") && env.containsKey(name)) {
            env.put(name, value + File.pathSeparator + env.get(name));
          } else {
            env.put(name, value);
          }
        });
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** Whether an executable of that name is on the PATH. */
  static boolean onPath(String executable) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, executable))) {
        return true;
      }
    }
    return false;
  }
}
