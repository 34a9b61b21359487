package zeroshot.client.bench;

import static java.util.Objects.requireNonNull;

import java.util.Random;

/**
 * An open loop: requests sent on a Poisson schedule at a target rate, whatever the server does, and
 * each latency counted from the request's intended send time. A server that stalls therefore shows
 * the queueing it causes, instead of the generator politely waiting (coordinated omission). One
 * thread sends; it parks between sends, and {@link SendLag} reports when it fell behind.
 */
public final class OpenLoop {

  private final Sender sender;
  private final BenchClock clock;
  private final Random random;

  /**
   * Creates an open loop.
   *
   * @param random the source of the schedule; seeded, runs are reproducible
   */
  public OpenLoop(Sender sender, BenchClock clock, Random random) {
    this.sender = requireNonNull(sender, "sender");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  /** Runs one step at {@code ratePerSecond} requests per second, within {@code limits}. */
  public StepResult run(double ratePerSecond, StepLimits limits, ProgressListener progress) {
    StepRun run = new StepRun(clock, limits);
    PoissonSchedule schedule = new PoissonSchedule(ratePerSecond, clock.nanoTime(), random);
    for (long sequence = 0; ; sequence++) {
      long intended = schedule.next();
      StepRun.Admission admission = run.admit(intended);
      if (admission == StepRun.Admission.STOP) {
        break;
      }
      for (long now = clock.nanoTime(); now < intended; now = clock.nanoTime()) {
        clock.parkUntil(intended);
      }
      run.send(sender, sequence, intended, admission == StepRun.Admission.MEASURED);
      run.progress(progress);
    }
    run.drain(progress);
    return run.result(String.format(java.util.Locale.ROOT, "rate %.0f/s", ratePerSecond), true);
  }
}
