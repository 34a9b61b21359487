package zeroshot.client.bench;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The share of the machine's CPU that this process (the load generator) used over a step: on a
 * machine it shares with the server, what the generator takes the server cannot have, and the
 * report says how much that was.
 */
public final class ClientCpu {

  private final LongSupplier cpuNanos; // negative: not available
  private final LongSupplier wallNanos;
  private final int cores;

  /** A reading of both clocks. */
  public record Reading(long cpuNanos, long wallNanos) {}

  ClientCpu(LongSupplier cpuNanos, LongSupplier wallNanos, int cores) {
    this.cpuNanos = cpuNanos;
    this.wallNanos = wallNanos;
    this.cores = cores;
  }

  /** This JVM's CPU time, where the platform reports it, over all its cores. */
  public static ClientCpu ofThisProcess() {
    int cores = Runtime.getRuntime().availableProcessors();
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return new ClientCpu(os::getProcessCpuTime, System::nanoTime, cores);
    }
    return new ClientCpu(() -> -1, System::nanoTime, cores);
  }

  /** Reads the process's CPU time and the wall clock. */
  public Reading read() {
    return new Reading(cpuNanos.getAsLong(), wallNanos.getAsLong());
  }

  /**
   * The CPU used since {@code start} as a share of all cores over the same wall time (0 to 1), or
   * null where the platform does not report process CPU time.
   */
  public Double shareSince(Reading start) {
    Reading now = read();
    long wall = now.wallNanos() - start.wallNanos();
    if (start.cpuNanos() < 0 || now.cpuNanos() < 0 || wall <= 0) {
      return null;
    }
    double share = (now.cpuNanos() - start.cpuNanos()) / ((double) wall * cores);
    return Math.round(share * 1000) / 1000.0;
  }
}
