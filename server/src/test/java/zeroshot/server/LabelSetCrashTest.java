package zeroshot.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.labels.LabelSetDefinition;
import zeroshot.server.labels.LabelSetFiles;
import zeroshot.server.testing.ServerProcess;
import zeroshot.server.testing.disk.PowerLossFileSystemProvider;
import zeroshot.server.testing.disk.PowerLossImage;
import zeroshot.v1.DeleteLabelSetRequest;
import zeroshot.v1.GetLabelSetRequest;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.LabelSetInfo;
import zeroshot.v1.ListLabelSetsRequest;
import zeroshot.v1.PutLabelSetRequest;
import zeroshot.v1.ZeroShotServiceGrpc;
import zeroshot.v1.ZeroShotServiceGrpc.ZeroShotServiceBlockingStub;

/**
 * 1,000 PutLabelSet and DeleteLabelSet calls from 4 callers to a real server process that is killed
 * with SIGKILL 10 times and started again each time; every acknowledged change is there after each
 * start, and at the end (after the last calls, a graceful stop and one more start) the directory
 * holds one whole file per set and nothing else, a temporary file left there having been removed
 * with its INFO line.
 *
 * <p>A SIGKILL alone would prove little: the kernel keeps what the process wrote, forced or not, so
 * a server that never forced anything would pass. Each server therefore runs on the {@link
 * PowerLossFileSystemProvider} (the JVM's own {@code java.nio.file.spi.DefaultFileSystemProvider}
 * hook: nothing in the server changes), which journals what each force made durable; after every
 * other kill the label set directory is replaced by what a power cut at that moment would have left
 * ({@link PowerLossImage}), and the next server starts from that. A server that acknowledges a put
 * or delete before its directory is forced loses it here; one whose file was not forced starts on
 * an empty file and stops. The other kills leave the directory as the kernel kept it, with the
 * temporary files of interrupted writes.
 *
 * <p>Four kills come at a random moment (after a random call, plus up to 3 ms); six stop the
 * server's writing thread just before a randomly chosen file system write (it waits there for the
 * kill), so that kills land inside a put: between a truncation and a write, between the force and
 * the rename. That is what catches a file rewritten in place instead of renamed over: a random
 * moment almost never falls in that window. A chosen write may come before the server is ready (its
 * start removes the temporary files the last kill left): that server is killed there, a kill in the
 * middle of recovery. Each caller has names of its own, so that the outcome of every call on a name
 * is known in order: an acknowledged put or delete is what the name must hold; a call that the kill
 * cut off may or may not have happened, and the next start says which. The seed is printed; {@code
 * -Dzeroshot.crash.seed=N} repeats a run's choices (not its timing).
 */
class LabelSetCrashTest {
  private static final int CALLS = 1_000;
  private static final int KILLS = 10;
  private static final int CALLERS = 4;
  private static final int NAMES_PER_CALLER = 4;
  private static final String MODEL = "tiny-clip";
  private static final List<String> LABELS =
      List.of(
          "red star",
          "blue circle",
          "green square",
          "red heart",
          "blue cross",
          "green diamond",
          "sneaker",
          "bag",
          "dress",
          "coat");

  @TempDir Path work;

  /** What each name may hold: the labels of a set, or empty for none. */
  private final Map<String, Set<Optional<List<String>>>> possible = new ConcurrentHashMap<>();

  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger unknownOutcomes = new AtomicInteger();

  @Test
  void everyAcknowledgedChangeSurvivesKillsAndPowerCutsAndNothingIsLeftHalfWritten()
      throws Exception {
    long seed = Long.getLong("zeroshot.crash.seed", System.nanoTime());
    System.out.printf("LabelSetCrashTest seed %d (repeat: -Dzeroshot.crash.seed=%d)%n", seed, seed);
    Random random = new Random(seed);
    long started = System.nanoTime();
    Path live = Files.createDirectories(work.resolve("label-sets"));
    for (int c = 0; c < CALLERS; c++) {
      for (int n = 0; n < NAMES_PER_CALLER; n++) {
        possible.put(name(c, n), ConcurrentHashMap.newKeySet());
        possible.get(name(c, n)).add(Optional.empty());
      }
    }
    int leftovers = 0; // temporary files the last kill left, for the next start to remove
    int allLeftovers = 0;
    for (int cycle = 0; cycle <= KILLS; cycle++) {
      // Kills alternate between a plain SIGKILL (the directory as the kernel kept it: temporary
      // files of interrupted writes stay) and a power cut (only what was forced); two in three
      // stop the server at a random write first, the others come after a random call.
      boolean killed = cycle < KILLS;
      boolean atWrite = killed && cycle % 3 != 0;
      boolean powerCut = killed && cycle % 2 == 0;
      int budget = killed ? (CALLS - calls.get()) / (KILLS - cycle) : CALLS - calls.get();
      long stopAt = atWrite ? 1 + random.nextInt(4 * budget) : 0;
      int killAfter = !killed ? 0 : atWrite ? -1 : 1 + random.nextInt(budget);
      Path journal = work.resolve("journal-" + cycle);
      try (ServerProcess server = start(live, journal, stopAt, cycle)) {
        String how;
        if (server.ready()) {
          if (leftovers > 0) {
            assertThat(server.log()).contains(removed(leftovers, live));
          }
          checkAgainst(server);
          how = run(server, budget, killAfter, random, journal);
          if (!killed) {
            server.stop();
          }
        } else {
          // The chosen write was one of the start's own (removing what the last kill left): a
          // kill in the middle of recovery, which the next start must recover from in turn.
          server.kill();
          how = "killed stopped before its chosen write while starting (removing leftovers)";
        }
        if (powerCut) {
          deleteTree(live);
          PowerLossImage.read(journal).writeTo(live);
          how += "; power cut";
        }
        leftovers = (int) tree(live).stream().filter(p -> p.endsWith(".tmp")).count();
        allLeftovers += leftovers;
        System.out.printf("cycle %d: %s; %d temporary files left%n", cycle, how, leftovers);
      }
    }
    // One more, as a crash between a write and its rename leaves it.
    Files.createDirectories(live.resolve(MODEL));
    Files.writeString(live.resolve(MODEL).resolve("planted.4711.tmp"), "{\"name\": \"pla");
    try (ServerProcess server = start(live, work.resolve("journal-last"), 0, KILLS + 1)) {
      Map<String, List<String>> found = checkAgainst(server);
      Map<String, List<String>> onDisk = new TreeMap<>();
      for (LabelSetDefinition d : LabelSetFiles.in(live).readAll()) {
        onDisk.put(d.name(), d.labels().stream().map(LabelSetDefinition.Entry::label).toList());
      }
      assertThat(onDisk).as("sets on disk").isEqualTo(found);
      assertThat(tree(live))
          .as("files")
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(
                      Stream.of(MODEL), found.keySet().stream().map(n -> MODEL + "/" + n + ".json"))
                  .toList());
      assertThat(server.log()).containsOnlyOnce(removed(1, live));
      server.stop();
      System.out.printf(
          "%d calls, %d kills, %d outcomes cut off by a kill, %d temporary files left by kills,"
              + " %d sets at the end; %.1f s%n",
          calls.get(),
          KILLS,
          unknownOutcomes.get(),
          allLeftovers,
          found.size(),
          (System.nanoTime() - started) / 1e9);
    }
    assertThat(calls.get()).isGreaterThanOrEqualTo(CALLS);
  }

  private static String removed(int files, Path dir) {
    return "removed " + files + " temporary label set files left by interrupted writes from " + dir;
  }

  /**
   * Calls until {@code budget} calls are made; kills the server after call {@code killAfter} (plus
   * up to 3 ms), or, when it is -1, once it stops at its chosen write; 0: no kill.
   */
  private String run(ServerProcess server, int budget, int killAfter, Random random, Path journal)
      throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    AtomicInteger issued = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < CALLERS; c++) {
      int caller = c;
      Random own = new Random(random.nextLong());
      done.add(
          callers.submit(
              () -> {
                ZeroShotServiceBlockingStub stub = ZeroShotServiceGrpc.newBlockingStub(channel);
                while (!killed.get() && issued.incrementAndGet() <= budget) {
                  calls.incrementAndGet();
                  call(stub, name(caller, own.nextInt(NAMES_PER_CALLER)), own);
                }
                return null;
              }));
    }
    String how;
    if (killAfter == 0) {
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      how = budget + " calls, not killed";
    } else if (killAfter > 0) {
      while (issued.get() < killAfter) {
        Thread.sleep(1);
      }
      LockSupport.parkNanos(random.nextInt(3_000_000));
      how = "killed after call " + killAfter + " of " + budget;
    } else {
      while (!stopped(journal) && !done.stream().allMatch(Future::isDone)) {
        Thread.sleep(2);
      }
      how =
          stopped(journal)
              ? "killed stopped before its chosen write, after " + issued.get() + " calls"
              : "killed after its " + budget + " calls, before its chosen write";
    }
    killed.set(true);
    if (killAfter != 0) {
      server.kill();
    }
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    callers.shutdown();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    return how;
  }

  /** One put (2 in 3) or delete, and what it tells of the name's state. */
  private void call(ZeroShotServiceBlockingStub stub, String name, Random random) {
    ZeroShotServiceBlockingStub timed = stub.withDeadlineAfter(10, TimeUnit.SECONDS);
    Set<Optional<List<String>>> states = possible.get(name);
    if (random.nextInt(3) < 2) {
      List<String> labels = new ArrayList<>(LABELS);
      java.util.Collections.shuffle(labels, random);
      labels = List.copyOf(labels.subList(0, 1 + random.nextInt(4)));
      LabelSet.Builder set = LabelSet.newBuilder().setName(name).setModel(MODEL);
      labels.forEach(l -> set.addLabels(LabelSetEntry.newBuilder().setLabel(l)));
      try {
        timed.putLabelSet(PutLabelSetRequest.newBuilder().setLabelSet(set).build());
        states.clear();
      } catch (StatusRuntimeException e) {
        unknownOutcomes.incrementAndGet(); // cut off by the kill: it may have happened
      }
      states.add(Optional.of(labels));
      return;
    }
    try {
      timed.deleteLabelSet(
          DeleteLabelSetRequest.newBuilder().setName(name).setModel(MODEL).build());
      states.clear();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        states.clear(); // an answer: there was none
      } else {
        unknownOutcomes.incrementAndGet();
      }
    }
    states.add(Optional.empty());
  }

  /**
   * Checks that every name holds one of the states its calls allow, and from now on expects exactly
   * what it holds; returns the sets found, by name.
   */
  private Map<String, List<String>> checkAgainst(ServerProcess server) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      ZeroShotServiceBlockingStub stub =
          ZeroShotServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      Map<String, List<String>> found = new TreeMap<>();
      for (LabelSetInfo info :
          stub.listLabelSets(ListLabelSetsRequest.getDefaultInstance()).getLabelSetsList()) {
        LabelSet set =
            stub.getLabelSet(
                    GetLabelSetRequest.newBuilder().setName(info.getName()).setModel(MODEL).build())
                .getLabelSet();
        found.put(
            info.getName(), set.getLabelsList().stream().map(LabelSetEntry::getLabel).toList());
      }
      assertThat(possible.keySet()).containsAll(found.keySet());
      for (Map.Entry<String, Set<Optional<List<String>>>> e : possible.entrySet()) {
        Optional<List<String>> held = Optional.ofNullable(found.get(e.getKey()));
        assertThat(e.getValue())
            .as("after this start %s holds %s; its calls allow only", e.getKey(), held)
            .contains(held);
        e.getValue().clear();
        e.getValue().add(held);
      }
      return found;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ServerProcess start(Path live, Path journal, long stopAt, int cycle) throws Exception {
    return ServerProcess.start(
        work.resolve("server-" + cycle + ".log"),
        List.of(
            "-Djava.nio.file.spi.DefaultFileSystemProvider="
                + PowerLossFileSystemProvider.class.getName(),
            "-D" + PowerLossFileSystemProvider.ROOT + "=" + live,
            "-D" + PowerLossFileSystemProvider.JOURNAL + "=" + journal,
            "-D" + PowerLossFileSystemProvider.STOP_AT + "=" + stopAt),
        List.of("--device", "cpu", "--label-set-dir", live.toString()),
        Duration.ofSeconds(60),
        () -> stopAt > 0 && stopped(journal));
  }

  /**
   * True once the server's writing thread stopped at its chosen write, waiting to be killed; a
   * journal not yet there (a server still starting) has not stopped.
   */
  private static boolean stopped(Path journal) {
    try {
      return Files.exists(journal) && Files.readString(journal).contains("\nS ");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(int caller, int n) {
    return "c" + caller + "-" + n;
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).toList();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
