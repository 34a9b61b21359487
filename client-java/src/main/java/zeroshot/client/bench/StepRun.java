package zeroshot.client.bench;

import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The shared state of one step of a load run: its phases, which requests are measured, and what
 * they measured. The closed and the open loop both drive one; thread-safe.
 */
final class StepRun {

  /** What a request about to be sent is. */
  enum Admission {
    WARMUP,
    MEASURED,
    STOP
  }

  /** A send later than this behind its intended time counts as late (open loop). */
  static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final long PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final BenchClock clock;
  private final StepLimits limits;
  private final long measureStart;
  private final long measureEnd;
  private final AtomicLong measuredSent = new AtomicLong();
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong lastMeasuredDone = new AtomicLong(Long.MIN_VALUE);
  private final Recorder latencies = new Recorder(3); // microseconds, auto-resizing
  private final Recorder rejections = new Recorder(3); // RESOURCE_EXHAUSTED answers, likewise
  private final LongAdder ok = new LongAdder();
  private final Map<Status.Code, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder lateSends = new LongAdder();
  private final AtomicLong maxLagNanos = new AtomicLong();
  private volatile boolean stopped;
  private long lastProgress; // only the driving thread reports progress

  StepRun(BenchClock clock, StepLimits limits) {
    this.clock = clock;
    this.limits = limits;
    long start = clock.nanoTime();
    this.lastProgress = start - PROGRESS_NANOS; // the first call reports
    this.measureStart = start + limits.warmup().toNanos();
    this.measureEnd = measureStart + limits.duration().toNanos();
  }

  BenchClock clock() {
    return clock;
  }

  long measureEnd() {
    return measureEnd;
  }

  /** Whether the step has ended: its time is up or its requests are all sent. */
  boolean stopped() {
    return stopped;
  }

  /** Decides what a request intended at {@code nanos} is, counting it if it is measured. */
  Admission admit(long nanos) {
    if (stopped || nanos >= measureEnd) {
      stopped = true;
      return Admission.STOP;
    }
    if (nanos < measureStart) {
      return Admission.WARMUP;
    }
    if (measuredSent.incrementAndGet() > limits.maxRequests()) {
      measuredSent.decrementAndGet();
      stopped = true;
      return Admission.STOP;
    }
    return Admission.MEASURED;
  }

  /**
   * Sends a request and records its outcome, the latency counted from {@code intendedNanos}. The
   * returned future completes once recorded; it is already complete if the sender answered at once.
   */
  CompletableFuture<Void> send(Sender sender, long sequence, long intendedNanos, boolean measured) {
    if (measured) {
      long lag = clock.nanoTime() - intendedNanos;
      maxLagNanos.accumulateAndGet(lag, Math::max);
      if (lag > LATE_NANOS) {
        lateSends.increment();
      }
    }
    outstanding.incrementAndGet();
    CompletableFuture<?> call;
    try {
      call = sender.send(sequence);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.handle(
        (response, failure) -> {
          if (measured) {
            record(intendedNanos, failure);
          }
          outstanding.decrementAndGet();
          return null;
        });
  }

  private void record(long intendedNanos, Throwable failure) {
    long now = clock.nanoTime();
    if (failure == null) {
      latencies.recordValue(Math.max(0, now - intendedNanos) / 1_000);
      ok.increment();
    } else {
      Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
      Status.Code code = Status.fromThrowable(cause).getCode();
      errors.computeIfAbsent(code, c -> new LongAdder()).increment();
      if (code == Status.Code.RESOURCE_EXHAUSTED) {
        // How fast an overloaded server says no matters as much as how fast it says yes.
        rejections.recordValue(Math.max(0, now - intendedNanos) / 1_000);
      }
    }
    lastMeasuredDone.accumulateAndGet(now, Math::max);
  }

  /** Waits, reporting progress, until no answer is outstanding or the drain time has passed. */
  void drain(ProgressListener progress) {
    long limit = Math.max(clock.nanoTime(), measureEnd) + limits.drain().toNanos();
    for (long now = clock.nanoTime();
        outstanding.get() > 0 && now < limit;
        now = clock.nanoTime()) {
      clock.parkUntil(Math.min(limit, now + PROGRESS_NANOS));
      progress(progress);
    }
  }

  /** Reports progress if the last report is 100 ms old; call from the driving thread only. */
  void progress(ProgressListener listener) {
    long now = clock.nanoTime();
    if (now - lastProgress < PROGRESS_NANOS) {
      return;
    }
    lastProgress = now;
    boolean warmingUp = now < measureStart;
    double byTime =
        warmingUp
            ? 1 - (measureStart - now) / (double) Math.max(1, limits.warmup().toNanos())
            : (now - measureStart) / (double) (measureEnd - measureStart);
    double byCount = warmingUp ? 0 : measuredSent.get() / (double) limits.maxRequests();
    long failed = errors.values().stream().mapToLong(LongAdder::sum).sum();
    listener.update(warmingUp, Math.min(1, Math.max(byTime, byCount)), ok.sum(), failed);
  }

  /** The figures of the measured phase; call after {@link #drain}. */
  StepResult result(String label, boolean openLoop) {
    long done = lastMeasuredDone.get();
    long end = done == Long.MIN_VALUE ? Math.min(clock.nanoTime(), measureEnd) : done;
    double seconds = Math.max(1e-9, (end - measureStart) / 1e9);
    Map<String, Long> failed = new TreeMap<>();
    errors.forEach((code, count) -> failed.put(code.name(), count.sum()));
    SendLag lag = openLoop ? new SendLag(lateSends.sum(), maxLagNanos.get() / 1e6) : null;
    return new StepResult(
        label,
        measuredSent.get(),
        ok.sum(),
        failed,
        outstanding.get(),
        seconds,
        LatencySummary.ofMicros(latencies.getIntervalHistogram()),
        LatencySummary.ofMicros(rejections.getIntervalHistogram()),
        lag,
        null);
  }
}
