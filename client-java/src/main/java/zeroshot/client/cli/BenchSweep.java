package zeroshot.client.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import zeroshot.client.ZeroShotClient;
import zeroshot.client.bench.BenchClock;
import zeroshot.client.bench.BenchReport;
import zeroshot.client.bench.ClientCpu;
import zeroshot.client.bench.ClosedLoop;
import zeroshot.client.bench.HttpJsonSender;
import zeroshot.client.bench.OpenLoop;
import zeroshot.client.bench.ProgressListener;
import zeroshot.client.bench.Sender;
import zeroshot.client.bench.ServerScrapes;
import zeroshot.client.bench.StepLimits;
import zeroshot.client.bench.StepResult;
import zeroshot.client.bench.StreamSender;
import zeroshot.client.bench.UnarySender;
import zeroshot.v1.ClassifyRequest;

/**
 * The steps of one {@code zeroshot bench} run, one per concurrency (closed loop) or rate (open
 * loop), each with fresh senders (new streams in stream mode), added to the report and the table.
 *
 * @param rpc unary calls, stream items, or Classify over the HTTP/JSON port
 * @param mode closed or open loop
 * @param streams stream mode: streams per step
 * @param window stream mode: most unanswered items per stream
 * @param seed of the open loop's schedule, the same for every step
 * @param deadline of each unary call
 * @param limits of each step
 * @param initialWarmup load at the first step's level before the first step, discarded: the
 *     generator's own JIT warm-up; zero for none
 * @param httpUrl the HTTP/JSON port ({@code --rpc http}), e.g. http://localhost:8080
 */
record BenchSweep(
    BenchCommand.Rpc rpc,
    BenchCommand.Mode mode,
    int streams,
    int window,
    long seed,
    Duration deadline,
    StepLimits limits,
    Duration initialWarmup,
    URI httpUrl) {

  /** Runs a step per value, a progress line on {@code err} if asked; returns the table. */
  BenchTable run(
      ZeroShotClient client,
      List<ClassifyRequest> requests,
      List<? extends Number> values,
      ServerScrapes scrapes,
      BenchReport report,
      PrintWriter err,
      boolean progressBar) {
    BenchTable table = new BenchTable();
    ClientCpu cpu = ClientCpu.ofThisProcess();
    if (!initialWarmup.isZero() && !values.isEmpty()) {
      // A fresh JVM's JIT took CPU from the server and inflated the first step's p99 2.5x (26 %
      // of the machine for the generator, then 11 % in the same step repeated).
      StepLimits warmOnly =
          new StepLimits(Duration.ZERO, initialWarmup, Long.MAX_VALUE, limits.drain());
      step(client, requests, values.get(0), warmOnly, ProgressListener.NONE);
    }
    for (Number value : values) {
      String label =
          mode == BenchCommand.Mode.closed ? "concurrency " + value : "rate " + value + "/s";
      BenchProgress progress = progressBar ? new BenchProgress(err, label) : null;
      ClientCpu.Reading start = cpu.read();
      StepResult result =
          scrapes.around(
              limits.warmup(),
              () ->
                  step(
                      client,
                      requests,
                      value,
                      limits,
                      progress == null ? ProgressListener.NONE : progress));
      Double cpuShare = cpu.shareSince(start);
      if (progress != null) {
        progress.finish();
      }
      if (mode == BenchCommand.Mode.closed) {
        report.addClosed(value.intValue(), result, cpuShare);
      } else {
        report.addOpen(value.doubleValue(), result, cpuShare);
      }
      table.add(result, cpuShare);
    }
    return table;
  }

  private Sender httpSender(List<ClassifyRequest> requests) {
    try {
      return new HttpJsonSender(
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(Runnable::run)
              .build(),
          httpUrl,
          requests,
          deadline);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print a ClassifyRequest as JSON", e);
    }
  }

  private StepResult step(
      ZeroShotClient client,
      List<ClassifyRequest> requests,
      Number value,
      StepLimits limits,
      ProgressListener progress) {
    Sender sender;
    StreamSender streamSender = null;
    if (rpc == BenchCommand.Rpc.unary) {
      sender = new UnarySender(client, requests, deadline);
    } else if (rpc == BenchCommand.Rpc.http) {
      sender = httpSender(requests);
    } else {
      sender = streamSender = new StreamSender(client, requests, streams, window);
    }
    try {
      return mode == BenchCommand.Mode.closed
          ? new ClosedLoop(sender, BenchClock.system()).run(value.intValue(), limits, progress)
          : new OpenLoop(sender, BenchClock.system(), new Random(seed))
              .run(value.doubleValue(), limits, progress);
    } finally {
      if (streamSender != null) {
        streamSender.close();
      }
    }
  }
}
