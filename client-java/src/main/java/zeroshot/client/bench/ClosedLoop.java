package zeroshot.client.bench;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop: {@code concurrency} callers, each sending its next request as soon as the last one
 * is answered. The callers are asynchronous (an answer sends the next request) rather than blocking
 * threads, so the generator, which may share the machine with the server, costs little CPU. A
 * closed loop measures throughput at a concurrency; its latency hides queueing (a slow answer
 * delays the next send), which is what the {@link OpenLoop} is for.
 */
public final class ClosedLoop {

  private final Sender sender;
  private final BenchClock clock;

  public ClosedLoop(Sender sender, BenchClock clock) {
    this.sender = requireNonNull(sender, "sender");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Runs one step with {@code concurrency} callers, within {@code limits}. */
  public StepResult run(int concurrency, StepLimits limits, ProgressListener progress) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    StepRun run = new StepRun(clock, limits);
    AtomicLong sequence = new AtomicLong();
    for (int c = 0; c < concurrency; c++) {
      loop(run, sequence);
    }
    // The callers stop themselves at the end of the measured phase or at the request bound.
    for (long now = clock.nanoTime();
        now < run.measureEnd() && !run.stopped();
        now = clock.nanoTime()) {
      clock.parkUntil(Math.min(run.measureEnd(), now + 100_000_000L));
      run.progress(progress);
    }
    run.drain(progress);
    return run.result("concurrency " + concurrency, false);
  }

  /**
   * One caller: sends until told to stop. A request answered at once (an in-process or fake server)
   * continues in this loop rather than recursing, so the stack cannot grow.
   */
  private void loop(StepRun run, AtomicLong sequence) {
    while (true) {
      long now = clock.nanoTime();
      StepRun.Admission admission = run.admit(now);
      if (admission == StepRun.Admission.STOP) {
        return;
      }
      boolean measured = admission == StepRun.Admission.MEASURED;
      CompletableFuture<Void> done = run.send(sender, sequence.getAndIncrement(), now, measured);
      if (!done.isDone()) {
        done.thenRun(() -> loop(run, sequence));
        return;
      }
    }
  }
}
