package zeroshot.server.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.server.labels.LabelSetFilesTest.tree;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.batching.TimeSource;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;

/**
 * Puts and deletes of one name from many threads at once, on a real directory: memory and disk end
 * in the same state, and that state is one that some order of the calls gives (one whole version of
 * the concurrent puts; for a put racing a delete, put-then-delete or delete-then-put).
 */
class LabelSetStoreRacesTest {
  private static final int CALLERS = 16;
  @TempDir Path dir;
  private ServedModel served;
  private LabelSetStore store;
  private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);

  @BeforeEach
  void start() throws Exception {
    served =
        ServedModel.of(
            new FakeEmbeddingModel(ManifestReader.read(TestModels.tinyClip())),
            BatchingPolicy.of(8, Duration.ofMillis(1)),
            new QueuePolicy(1_000),
            TimeSource.SYSTEM);
    served.start();
    store =
        new LabelSetStore(
            new LabelSetLimits(1_000, 100, 10, 10, 256),
            new LabelEmbeddingCache(1 << 20),
            LabelSetFiles.in(dir));
  }

  @AfterEach
  void stop() throws Exception {
    callers.shutdownNow();
    served.shutdown();
  }

  @Test
  void concurrentPutsOfOneNameEndWithOneWholeVersionInMemoryAndOnDisk() throws Exception {
    for (int round = 0; round < 10; round++) {
      String name = "same-" + round;
      List<LabelSetDefinition> versions =
          IntStream.range(0, CALLERS).mapToObj(v -> version(name, v)).toList();
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (LabelSetDefinition v : versions) {
        puts.add(
            CompletableFuture.runAsync(
                () -> {
                  await(go);
                  store.put(served, v, Long.MAX_VALUE).join();
                },
                callers));
      }
      go.countDown();
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      LabelSetDefinition inMemory = store.require("tiny-clip", name).definition();
      assertThat(versions).contains(inMemory);
      assertThat(store.require("tiny-clip", name).labels())
          .containsExactlyElementsOf(inMemory.labels().stream().map(e -> e.label()).toList());
      assertThat(onDisk(name)).contains(inMemory);
    }
    assertThat(tree(dir)).allMatch(p -> p.equals("tiny-clip") || p.endsWith(".json"));
  }

  @Test
  void aPutRacingADeleteEndsAsOneOrderOfTheTwoWouldLeaveIt() throws Exception {
    int putLast = 0;
    int deleteLast = 0;
    for (int round = 0; round < 40; round++) {
      String name = "race-" + round;
      boolean existed = round % 2 == 0;
      if (existed) {
        store.put(served, version(name, 0), Long.MAX_VALUE).join();
      }
      LabelSetDefinition put = version(name, 1);
      store.put(served, version("warm-" + round, 1), Long.MAX_VALUE).join(); // prompts cached
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<?> putting =
          CompletableFuture.runAsync(
              () -> {
                await(go);
                store.put(served, put, Long.MAX_VALUE).join();
              },
              callers);
      CompletableFuture<Boolean> deleting =
          CompletableFuture.supplyAsync(
              () -> {
                await(go);
                try {
                  store.delete("tiny-clip", name);
                  return true;
                } catch (UnknownLabelSetException e) {
                  return false;
                }
              },
              callers);
      go.countDown();
      putting.get(30, TimeUnit.SECONDS);
      boolean deleted = deleting.get(30, TimeUnit.SECONDS);

      Optional<LabelSetDefinition> inMemory =
          store.get("tiny-clip", name).map(EncodedLabelSet::definition);
      assertThat(onDisk(name)).as("round %d: disk against memory", round).isEqualTo(inMemory);
      if (inMemory.isPresent()) {
        // delete then put: the delete found the old set, or none if there was none
        assertThat(inMemory).contains(put);
        assertThat(deleted).as("round %d: the delete ran first", round).isEqualTo(existed);
        putLast++;
      } else {
        // put then delete: the delete found the put's set
        assertThat(deleted).as("round %d: the delete ran last", round).isTrue();
        deleteLast++;
      }
    }
    System.out.printf(
        "put racing delete: put last %d times, delete last %d%n", putLast, deleteLast);
  }

  private Optional<LabelSetDefinition> onDisk(String name) throws Exception {
    return LabelSetFiles.in(dir).readAll().stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** Version {@code v} of a set: labels no other version has, so a mix would show. */
  private static LabelSetDefinition version(String name, int v) {
    return LabelSetFilesTest.set(name, "red star " + v, "blue circle " + v, "sneaker " + v);
  }

  private static void await(CountDownLatch go) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
