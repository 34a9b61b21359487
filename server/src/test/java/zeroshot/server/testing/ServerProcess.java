package zeroshot.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import zeroshot.server.ServerMain;
import zeroshot.server.model.TestModels;

/**
 * A server in a JVM of its own ({@link ServerMain} on the bundled model, loopback, any free port,
 * no metrics, the device the caller's arguments name or the default), with its log in a file: a
 * pipe may lose what a process writes as it dies.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final Path log;
  private final int port;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts a server with {@code jvmOptions} before the main class and {@code args} after the
   * defaults, and waits until it logs that it is ready.
   *
   * @throws AssertionError with the log if it exits or is not ready within {@code ready}
   */
  public static ServerProcess start(
      Path log, List<String> jvmOptions, List<String> args, Duration ready)
      throws IOException, InterruptedException {
    return start(log, jvmOptions, args, ready, () -> false);
  }

  /**
   * As {@link #start(Path, List, List, Duration)}, but stops waiting once {@code stuck} holds (the
   * process kept alive, not ready: {@link #ready()} is false), for a server that a test stops on
   * purpose before it could be ready.
   */
  public static ServerProcess start(
      Path log, List<String> jvmOptions, List<String> args, Duration ready, BooleanSupplier stuck)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ServerMain.class.getName(),
            "--model-dir",
            TestModels.tinyClip().toString(),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--metrics-port",
            "-1",
            "--http-port",
            "-1"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DJL_OFFLINE", "true");
    Process process = builder.redirectOutput(log.toFile()).start();
    long readyBy = System.nanoTime() + ready.toNanos();
    while (!Files.readString(log).contains("ZeroShot Serve ready")) {
      if (process.isAlive() && stuck.getAsBoolean()) {
        return new ServerProcess(process, log, -1);
      }
      if (System.nanoTime() > readyBy || !process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("server not ready in " + ready + ":\n" + Files.readString(log));
      }
      Thread.sleep(20); // polling a live process: nothing to inject a clock into
    }
    Matcher listening = LISTENING.matcher(Files.readString(log));
    assertThat(listening.find()).as("port in the log").isTrue();
    return new ServerProcess(process, log, Integer.parseInt(listening.group(1)));
  }

  /** False only for a server that {@code start}'s {@code stuck} gave up on. */
  public boolean ready() {
    return port > 0;
  }

  public int port() {
    return port;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL, and waits for the process to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
  }

  /** SIGTERM: the server shuts down gracefully; waits for it to exit. */
  public void stop() throws InterruptedException {
    terminate();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped").isTrue();
  }

  /** SIGTERM, without waiting. */
  public void terminate() {
    process.destroy();
  }

  /** Whether the process exits within {@code timeout}. */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
