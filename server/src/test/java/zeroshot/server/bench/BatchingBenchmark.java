package zeroshot.server.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.gson.GsonBuilder;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.config.Limits;
import zeroshot.server.config.ModelOption;
import zeroshot.server.config.ModelSettings;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.model.ComputeDevice;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.BatchStats;
import zeroshot.server.testing.CountingLoader;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedImagesResponse;
import zeroshot.v1.Image;

/**
 * Batching on the bundled model over loopback, against the in-process limit. Prints numbers and
 * writes server/target/benchmarks/batching.json; asserts nothing. Run with:
 *
 * <pre>
 * mvn -B -pl server -am test -Dtest=BatchingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.excluded=none -Dgroups=benchmark
 * </pre>
 */
@Tag("benchmark")
class BatchingBenchmark {
  private static final int CALLERS = 32;
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final Duration MEASURE = Duration.ofSeconds(10);
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  static {
    // As ServerMain does: one intra-op thread per inference thread.
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  @Test
  void batchingOnTheBundledModel() throws Exception {
    List<byte[]> images = sampleImages();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put(
        "machine",
        CORES + " cores, " + System.getProperty("os.arch") + ", Java " + Runtime.version());
    report.put("callers", CALLERS);
    report.put("measure_seconds", MEASURE.toSeconds());

    // The JIT (and this VM) keep speeding up for a minute or two: whatever runs first looks
    // slow. So: one discarded run of each kind, then two rounds that interleave every case, and
    // the means of the rounds are compared.
    int batch = ModelOption.MAX_BATCH_SIZE.defaultFor(false, CORES);
    ModelSettings off = ModelSettings.NONE.with(ModelOption.MAX_BATCH_SIZE, 1);
    inProcessLimit(images, batch);
    closedLoop(images, ModelSettings.NONE, true);
    closedLoop(images, off, true);
    List<Map<String, Object>> rounds = new ArrayList<>();
    double limit = 0;
    double on = 0;
    double unbatched = 0;
    double withoutMetrics = 0;
    for (int r = 0; r < 2; r++) {
      Map<String, Object> round = new LinkedHashMap<>();
      double l = inProcessLimit(images, batch);
      Map<String, Object> batched = closedLoop(images, ModelSettings.NONE, true);
      Map<String, Object> single = closedLoop(images, off, true);
      Map<String, Object> noMetrics = closedLoop(images, ModelSettings.NONE, false);
      round.put("in_process_images_per_s", round(l));
      round.put("server_batching_on", batched);
      round.put("server_batching_off", single);
      round.put("server_batching_on_metrics_off", noMetrics);
      rounds.add(round);
      limit += l / 2;
      on += (double) batched.get("images_per_s") / 2;
      unbatched += (double) single.get("images_per_s") / 2;
      withoutMetrics += (double) noMetrics.get("images_per_s") / 2;
    }
    report.put("in_process_batch_size", batch);
    report.put("rounds", rounds);
    report.put("mean_in_process_images_per_s", round(limit));
    report.put("mean_batching_on_images_per_s", round(on));
    report.put("mean_batching_off_images_per_s", round(unbatched));
    report.put("mean_metrics_off_images_per_s", round(withoutMetrics));
    report.put("batching_gain", round(on / unbatched));
    report.put("saturation_fraction_of_in_process", round(on / limit));
    report.put("metrics_cost_fraction", round(1 - on / withoutMetrics));
    report.put("open_loop_half_saturation", openLoop(images, on / 2));

    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    Path out = TestModels.repoRoot().resolve("server/target/benchmarks/batching.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json + "\n");
    System.out.println(json);
  }

  /**
   * What metrics cost: closed-loop throughput with metrics on and off, in six pairs whose order
   * alternates (on/off, off/on, ...) so that warm-up and drift fall on both sides equally. Run
   * alone with {@code -Dtest=BatchingBenchmark#metricsCost}; writes metrics-cost.json.
   */
  @Test
  void metricsCost() throws Exception {
    List<byte[]> images = sampleImages();
    closedLoop(images, ModelSettings.NONE, true);
    closedLoop(images, ModelSettings.NONE, false);
    List<Double> on = new ArrayList<>();
    List<Double> off = new ArrayList<>();
    for (int pair = 0; pair < 6; pair++) {
      boolean onFirst = pair % 2 == 0;
      for (boolean metrics : new boolean[] {onFirst, !onFirst}) {
        double rate = (double) closedLoop(images, ModelSettings.NONE, metrics).get("images_per_s");
        (metrics ? on : off).add(rate);
      }
    }
    double meanOn = on.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double meanOff = off.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", Instant.now().toString());
    report.put("metrics_on_images_per_s", on);
    report.put("metrics_off_images_per_s", off);
    report.put("mean_on", round(meanOn));
    report.put("mean_off", round(meanOff));
    report.put("cost_fraction", round(1 - meanOn / meanOff));
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    Path out = TestModels.repoRoot().resolve("server/target/benchmarks/metrics-cost.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json + "\n");
    System.out.println(json);
  }

  /** Decode + preprocess + encode in batches of {@code batch} on one thread per core. */
  private static double inProcessLimit(List<byte[]> images, int batch) throws Exception {
    try (TorchScriptClipModel model =
        TorchScriptClipModel.load(
            ManifestReader.read(TestModels.tinyClip()), ComputeDevice.cpu())) {
      double rate =
          new InProcessPipeline(model, images).imagesPerSecond(batch, CORES, WARM_UP, MEASURE);
      System.out.printf("in-process, batch %d, %d threads: %.0f images/s%n", batch, CORES, rate);
      return rate;
    }
  }

  /**
   * {@link #CALLERS} callers, each sending one image per EmbedImages call as soon as its previous
   * call returns. Callers are asynchronous (a callback sends the next call) rather than 32 blocking
   * threads, so that the load generator, which shares the two cores with the server, costs as
   * little CPU as it can.
   */
  private static Map<String, Object> closedLoop(
      List<byte[]> images, ModelSettings batching, boolean metrics) throws Exception {
    CountingLoader counted = new CountingLoader(TorchScriptClipModel::load);
    try (RunningServer running = server(batching, metrics, counted)) {
      Recorder latencies = new Recorder(3);
      AtomicBoolean counting = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong done = new AtomicLong();
      AtomicLong next = new AtomicLong();
      CountDownLatch stopped = new CountDownLatch(CALLERS);
      for (int c = 0; c < CALLERS; c++) {
        new Caller(running, images, next, counting, stop, done, latencies, stopped).send();
      }
      Thread.sleep(WARM_UP.toMillis());
      BatchStats stats = counted.imageStats();
      long batches0 = stats.batches();
      long items0 = stats.items();
      long run0 = stats.runNanos();
      latencies.reset();
      counting.set(true);
      long start = System.nanoTime();
      Thread.sleep(MEASURE.toMillis());
      Histogram h = latencies.getIntervalHistogram();
      double rate = done.get() / ((System.nanoTime() - start) / 1e9);
      long batches = stats.batches() - batches0;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("max_batch_size", policy(batching).maxBatchSize());
      r.put("images_per_s", round(rate));
      r.putAll(percentiles(h));
      r.put("mean_batch_size", round((double) (stats.items() - items0) / batches));
      r.put("mean_batch_ms", round((stats.runNanos() - run0) / 1e6 / batches));
      stop.set(true);
      stopped.await(30, TimeUnit.SECONDS);
      System.out.println("closed loop: " + r);
      return r;
    }
  }

  /** One closed-loop caller: each answer sends the next call. */
  private record Caller(
      RunningServer running,
      List<byte[]> images,
      AtomicLong next,
      AtomicBoolean counting,
      AtomicBoolean stop,
      AtomicLong done,
      Recorder latencies,
      CountDownLatch stopped) {
    void send() {
      if (stop.get()) {
        stopped.countDown();
        return;
      }
      long t0 = System.nanoTime();
      byte[] image = images.get((int) (next.getAndIncrement() % images.size()));
      Futures.addCallback(
          running.future().embedImages(request(image)),
          new FutureCallback<EmbedImagesResponse>() {
            @Override
            public void onSuccess(EmbedImagesResponse r) {
              if (counting.get()) {
                latencies.recordValue((System.nanoTime() - t0) / 1_000);
                done.incrementAndGet();
              }
              send();
            }

            @Override
            public void onFailure(Throwable t) {
              throw new IllegalStateException("benchmark call failed", t);
            }
          },
          MoreExecutors.directExecutor());
    }
  }

  /** Poisson arrivals at {@code rate}; latency counts from the intended send time. */
  private static Map<String, Object> openLoop(List<byte[]> images, double rate) throws Exception {
    CountingLoader counted = new CountingLoader(TorchScriptClipModel::load);
    try (RunningServer running = server(ModelSettings.NONE, true, counted)) {
      Random random = new Random(42);
      Histogram h = new Histogram(3);
      long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
      long end = warmUpEnd + MEASURE.toNanos();
      long next = System.nanoTime();
      int sent = 0;
      CountDownLatch last = new CountDownLatch(1);
      AtomicLong inFlight = new AtomicLong();
      BatchStats stats = counted.imageStats();
      long batches0 = 0;
      long run0 = 0;
      long items0 = 0;
      boolean measuring = false;
      while (next < end) {
        // Park, not spin: a spinning sender would take one of the two cores from the server.
        for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        if (!measuring && next >= warmUpEnd) {
          measuring = true;
          batches0 = stats.batches();
          run0 = stats.runNanos();
          items0 = stats.items();
        }
        long intended = next;
        boolean record = measuring;
        inFlight.incrementAndGet();
        Futures.addCallback(
            running.future().embedImages(request(images.get(sent++ % images.size()))),
            new FutureCallback<EmbedImagesResponse>() {
              @Override
              public void onSuccess(EmbedImagesResponse r) {
                finish();
              }

              @Override
              public void onFailure(Throwable t) {
                finish();
              }

              private void finish() {
                if (record) {
                  synchronized (h) {
                    h.recordValue((System.nanoTime() - intended) / 1_000);
                  }
                }
                if (inFlight.decrementAndGet() == 0) {
                  last.countDown();
                }
              }
            },
            MoreExecutors.directExecutor());
        next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
      }
      last.await(30, TimeUnit.SECONDS);
      long batches = stats.batches() - batches0;
      double meanBatchMs = (stats.runNanos() - run0) / 1e6 / batches;
      double delayMs = policy(ModelSettings.NONE).maxQueueDelay().toNanos() / 1e6;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("target_images_per_s", round(rate));
      r.putAll(percentiles(h));
      r.put("mean_batch_size", round((double) (stats.items() - items0) / batches));
      r.put("mean_batch_ms", round(meanBatchMs));
      r.put("p99_target_ms", round(delayMs + 3 * meanBatchMs));
      System.out.println("open loop: " + r);
      return r;
    }
  }

  private static RunningServer server(
      ModelSettings batching, boolean metrics, CountingLoader counting) throws Exception {
    ServerConfig config = config(batching);
    return RunningServer.ready(metrics ? config : RunningServer.withoutMetrics(config), counting);
  }

  private static ServerConfig config(ModelSettings batching) {
    return RunningServer.config(
        List.of(TestModels.tinyClip()),
        0,
        1_024,
        Limits.defaults(),
        Duration.ofSeconds(5),
        batching);
  }

  /** The policy of tiny-clip's batchers in a server on this machine's CPU. */
  private static BatchingPolicy policy(ModelSettings batching) {
    return config(batching).batchingFor("tiny-clip", false, CORES);
  }

  private static EmbedImagesRequest request(byte[] image) {
    return EmbedImagesRequest.newBuilder()
        .addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(image)))
        .build();
  }

  private static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("p50_ms", round(h.getValueAtPercentile(50) / 1e3));
    r.put("p90_ms", round(h.getValueAtPercentile(90) / 1e3));
    r.put("p99_ms", round(h.getValueAtPercentile(99) / 1e3));
    r.put("p999_ms", round(h.getValueAtPercentile(99.9) / 1e3));
    r.put("max_ms", round(h.getMaxValue() / 1e3));
    r.put("calls", h.getTotalCount());
    return r;
  }

  private static List<byte[]> sampleImages() throws Exception {
    try (Stream<Path> files = Files.list(TestModels.tinyClip().resolve("samples"))) {
      List<byte[]> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().matches(".*\\.(png|jpg)")).sorted().toList()) {
        out.add(Files.readAllBytes(f));
      }
      return out;
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
