import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.Image;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.ZeroShotServiceGrpc;

/**
 * The soak's load (bench/soak.sh runs it): {@code --calls} Classify calls from {@code
 * --concurrency} asynchronous callers in a closed loop, and one ClassifyStream of {@code
 * --stream-items} items paced so that it spans the whole run (item k goes once k/items of the
 * calls are answered, at most {@code --stream-in-flight} ahead), so that the first and the last
 * tenth of the run see the same mix. Half the calls name the label set "soak-live", the others
 * send 2 to 5 of the bundled model's labels with one of three templates. Every {@code
 * --churn-every} calls, the label sets churn: "soak-live" is replaced, a new "churn-N" is put and
 * "churn-(N-4)" deleted.
 *
 * <p>Every {@code --window-seconds} it appends to {@code OUT/latency.csv} the window's calls,
 * errors and latency percentiles (HdrHistogram, microsecond resolution), unary and stream apart;
 * at the end it writes {@code OUT/driver.json} with the totals and errors by status.
 *
 * <p>Run (Java 17 launches a single source file): {@code java -cp
 * client-java/target/zeroshot-client.jar bench/soak/SoakDriver.java --target 127.0.0.1:50561
 * --images models/tiny-clip/samples --out DIR [--calls 1000000] [--stream-items 100000]
 * [--concurrency 8] [--stream-in-flight 32] [--window-seconds 10] [--churn-every 1000]}
 */
public final class SoakDriver {
  private static final List<String> WORDS =
      List.of(
          "red star", "blue circle", "green square", "yellow triangle", "purple heart",
          "orange cross", "pink crescent", "white diamond", "sneaker", "bag", "dress", "coat",
          "sandal", "shirt", "trouser", "pullover", "ankle boot", "t-shirt");
  private static final List<String> TEMPLATES =
      List.of("a photo of a {}", "a drawing of a {}", "a {}");

  private final Map<String, String> options;
  private final ZeroShotServiceGrpc.ZeroShotServiceFutureStub futures;
  private final ZeroShotServiceGrpc.ZeroShotServiceBlockingStub blocking;
  private final ZeroShotServiceGrpc.ZeroShotServiceStub async;
  private final List<ByteString> images = new ArrayList<>();
  private final long calls;
  private final long streamItems;
  private final Recorder unary = new Recorder(3);
  private final Recorder stream = new Recorder(3);
  private final Histogram unaryAll = new Histogram(3);
  private final LongAdder unaryErrors = new LongAdder();
  private final LongAdder streamErrors = new LongAdder();
  private final LongAdder churnOps = new LongAdder();
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
  private final ScheduledExecutorService churn = Executors.newSingleThreadScheduledExecutor();
  private long churned;

  private SoakDriver(Map<String, String> options, ManagedChannel channel) throws IOException {
    this.options = options;
    this.futures = ZeroShotServiceGrpc.newFutureStub(channel);
    this.blocking = ZeroShotServiceGrpc.newBlockingStub(channel);
    this.async = ZeroShotServiceGrpc.newStub(channel);
    this.calls = Long.parseLong(options.getOrDefault("calls", "1000000"));
    this.streamItems = Long.parseLong(options.getOrDefault("stream-items", "100000"));
    try (Stream<Path> files = Files.list(Path.of(required("images")))) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.(png|jpg|jpeg)$")).sorted().toList()) {
        images.add(ByteString.copyFrom(Files.readAllBytes(f)));
      }
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("--images: no .png or .jpg in " + required("images"));
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException(args[i] + ": expected --name value pairs");
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(options.get("target")).usePlaintext().build();
    try {
      new SoakDriver(options, channel).run();
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private String required(String name) {
    String v = options.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  private int option(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
  }

  private void run() throws Exception {
    Path out = Files.createDirectories(Path.of(required("out")));
    int concurrency = option("concurrency", 8);
    int window = option("window-seconds", 10);
    int churnEvery = option("churn-every", 1000);
    churnStep(); // "soak-live" exists before the first call names it
    long start = System.nanoTime();
    try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("latency.csv")))) {
      csv.println(
          "epoch_s,elapsed_s,calls,errors,p50_ms,p99_ms,max_ms,stream_items,stream_errors,"
              + "stream_p99_ms,churn_ops");
      csv.flush();
      ScheduledExecutorService windows = Executors.newSingleThreadScheduledExecutor();
      Histogram[] last = {null, null};
      Runnable flush =
          () -> {
            Histogram u = unary.getIntervalHistogram(last[0]);
            Histogram s = stream.getIntervalHistogram(last[1]);
            last[0] = u;
            last[1] = s;
            unaryAll.add(u);
            synchronized (csv) {
              csv.printf(
                  "%d,%.1f,%d,%d,%.3f,%.3f,%.3f,%d,%d,%.3f,%d%n",
                  System.currentTimeMillis() / 1000,
                  (System.nanoTime() - start) / 1e9,
                  u.getTotalCount(),
                  unaryErrors.sumThenReset(),
                  u.getValueAtPercentile(50) / 1e3,
                  u.getValueAtPercentile(99) / 1e3,
                  u.getMaxValue() / 1e3,
                  s.getTotalCount(),
                  streamErrors.sumThenReset(),
                  s.getValueAtPercentile(99) / 1e3,
                  churnOps.sumThenReset());
              csv.flush();
            }
          };
      windows.scheduleAtFixedRate(flush, window, window, TimeUnit.SECONDS);
      CountDownLatch unaryDone = new CountDownLatch(concurrency);
      for (int c = 0; c < concurrency; c++) {
        next(unaryDone, churnEvery);
      }
      CountDownLatch streamDone = runStream();
      unaryDone.await();
      streamDone.await();
      windows.shutdown();
      windows.awaitTermination(1, TimeUnit.MINUTES);
      churn.shutdown();
      churn.awaitTermination(1, TimeUnit.MINUTES);
      flush.run();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String json =
        String.format(
            "{%n  \"calls\": %d,%n  \"stream_items\": %d,%n  \"seconds\": %.1f,%n"
                + "  \"calls_per_s\": %.1f,%n  \"p50_ms\": %.3f,%n  \"p99_ms\": %.3f,%n"
                + "  \"max_ms\": %.3f,%n  \"label_set_churn_steps\": %d,%n  \"errors\": %s%n}%n",
            calls,
            streamItems,
            seconds,
            calls / seconds,
            unaryAll.getValueAtPercentile(50) / 1e3,
            unaryAll.getValueAtPercentile(99) / 1e3,
            unaryAll.getMaxValue() / 1e3,
            churned,
            errorsByCode.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue().sum())
                .reduce((a, b) -> a + ", " + b)
                .map(s -> "{" + s + "}")
                .orElse("{}"));
    Files.writeString(out.resolve("driver.json"), json);
    System.out.print(json);
  }

  /** One caller's next Classify, sent when its last one is answered. */
  private void next(CountDownLatch done, int churnEvery) {
    if (issued.incrementAndGet() > calls) {
      done.countDown();
      return;
    }
    long t0 = System.nanoTime();
    Futures.addCallback(
        futures.withDeadlineAfter(30, TimeUnit.SECONDS).classify(request()),
        new FutureCallback<ClassifyResponse>() {
          @Override
          public void onSuccess(ClassifyResponse r) {
            unary.recordValue((System.nanoTime() - t0) / 1_000);
            answeredOne(churnEvery);
            next(done, churnEvery);
          }

          @Override
          public void onFailure(Throwable t) {
            unaryErrors.increment();
            error(Status.fromThrowable(t).getCode().name());
            answeredOne(churnEvery);
            next(done, churnEvery);
          }
        },
        MoreExecutors.directExecutor());
  }

  private void answeredOne(int churnEvery) {
    if (answered.incrementAndGet() % churnEvery == 0) {
      churn.execute(this::churnStep);
    }
  }

  private void error(String code) {
    errorsByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
  }

  private ClassifyRequest request() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    ClassifyRequest.Builder r =
        ClassifyRequest.newBuilder()
            .setImage(Image.newBuilder().setEncoded(images.get(random.nextInt(images.size()))))
            .setTopK(3);
    if (random.nextBoolean()) {
      return r.setLabelSet("soak-live").build();
    }
    List<String> labels = new ArrayList<>(WORDS);
    java.util.Collections.shuffle(labels, random);
    return r.addAllLabels(labels.subList(0, 2 + random.nextInt(4)))
        .setPromptTemplate(TEMPLATES.get(random.nextInt(TEMPLATES.size())))
        .build();
  }

  /** Replaces "soak-live", puts "churn-N" and deletes "churn-(N-4)": three label set calls. */
  private void churnStep() {
    long n = churned++;
    Random random = new Random(n);
    try {
      blocking.withDeadlineAfter(30, TimeUnit.SECONDS).putLabelSet(put("soak-live", random));
      blocking.withDeadlineAfter(30, TimeUnit.SECONDS).putLabelSet(put("churn-" + n, random));
      churnOps.add(2);
      if (n >= 4) {
        blocking
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .deleteLabelSet(DeleteLabelSetRequest.newBuilder().setName("churn-" + (n - 4)).build());
        churnOps.increment();
      }
    } catch (RuntimeException e) {
      error("label_set_" + Status.fromThrowable(e).getCode().name());
    }
  }

  private static PutLabelSetRequest put(String name, Random random) {
    List<String> labels = new ArrayList<>(WORDS);
    java.util.Collections.shuffle(labels, random);
    LabelSet.Builder set =
        LabelSet.newBuilder()
            .setName(name)
            .addPromptTemplates(TEMPLATES.get(random.nextInt(TEMPLATES.size())));
    labels.subList(0, 3 + random.nextInt(8))
        .forEach(l -> set.addLabels(LabelSetEntry.newBuilder().setLabel(l)));
    return PutLabelSetRequest.newBuilder().setLabelSet(set).build();
  }

  /**
   * Sends the stream's items, item k once k/items of the calls are answered, at most {@code
   * --stream-in-flight} unanswered; the latch opens when the last is answered. The server asks a
   * connection to reconnect after --max-connection-age (5 min by default) and closes it after the
   * grace, ending a stream that outlives it: as a client should, this one then opens a new stream
   * and sends the unanswered items again (counted as {@code stream_reopened_<code>} in the
   * errors); any other end of the stream is a failure.
   */
  private CountDownLatch runStream() {
    CountDownLatch done = new CountDownLatch(1);
    if (streamItems == 0) {
      done.countDown();
      return done;
    }
    Semaphore inFlight = new Semaphore(option("stream-in-flight", 32));
    Map<String, Long> sent = new ConcurrentHashMap<>();
    AtomicLong received = new AtomicLong();
    Object lock = new Object();
    AtomicReference<StreamObserver<ClassifyStreamRequest>> current = new AtomicReference<>();
    Runnable open =
        new Runnable() {
          @Override
          public void run() {
            Runnable reopen = this;
            current.set(
                async.classifyStream(
                    new StreamObserver<>() {
                      @Override
                      public void onNext(ClassifyStreamResponse r) {
                        Long t0 = sent.remove(r.getRequestId());
                        if (t0 == null) {
                          return; // answered twice: once before a reconnect, once after
                        }
                        if (r.hasError()) {
                          streamErrors.increment();
                          error(
                              "stream_"
                                  + Status.fromCodeValue(r.getError().getCode()).getCode().name());
                        } else {
                          stream.recordValue((System.nanoTime() - t0) / 1_000);
                        }
                        inFlight.release();
                        if (received.incrementAndGet() == streamItems) {
                          done.countDown();
                        }
                      }

                      @Override
                      public void onError(Throwable t) {
                        Status.Code code = Status.fromThrowable(t).getCode();
                        if (done.getCount() == 0) {
                          return;
                        }
                        if (code != Status.Code.UNAVAILABLE && code != Status.Code.CANCELLED) {
                          error("stream_ended_" + code.name());
                          done.countDown();
                          return;
                        }
                        error("stream_reopened_" + code.name());
                        synchronized (lock) {
                          reopen.run();
                          for (String id : sent.keySet()) {
                            current.get().onNext(item(id));
                          }
                        }
                      }

                      @Override
                      public void onCompleted() {
                        done.countDown();
                      }
                    }));
          }
        };
    open.run();
    Thread sender =
        new Thread(
            () -> {
              try {
                for (long k = 0; k < streamItems; k++) {
                  while (answered.get() * streamItems < k * calls) {
                    Thread.sleep(1); // paced by the calls: no faster than they are answered
                  }
                  inFlight.acquire();
                  String id = Long.toString(k);
                  synchronized (lock) {
                    sent.put(id, System.nanoTime());
                    current.get().onNext(item(id));
                  }
                }
                done.await();
                synchronized (lock) {
                  current.get().onCompleted();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "stream-sender");
    sender.setDaemon(true);
    sender.start();
    return done;
  }

  private ClassifyStreamRequest item(String id) {
    return ClassifyStreamRequest.newBuilder().setRequestId(id).setRequest(request()).build();
  }
}
