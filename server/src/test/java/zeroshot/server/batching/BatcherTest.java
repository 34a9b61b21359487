package zeroshot.server.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

/**
 * The batching loop, driven step by step on the test thread with a clock that only moves when the
 * batcher waits.
 */
class BatcherTest {
  private static final long MS = 1_000_000L;
  private static final long NONE = Long.MAX_VALUE;

  private final FakeTime time = new FakeTime();
  private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
  private final List<String> drops = Collections.synchronizedList(new ArrayList<>());

  @Test
  void aBatchClosesAtMaxBatchSizeWithoutWaiting() throws Exception {
    Batcher<String, String> b = batcher(policy(4, 10, List.of()), 100);
    for (String s : List.of("a", "b", "c", "d", "e", "f")) {
      b.submit(List.of(s), NONE);
    }

    b.runOnce();
    assertThat(batches).containsExactly(List.of("a", "b", "c", "d"));
    assertThat(time.now).isZero();

    b.runOnce();
    assertThat(batches.get(1)).containsExactly("e", "f");
    assertThat(time.now).isEqualTo(10 * MS);
  }

  @Test
  void aBatchClosesAtMaxQueueDelayCountedFromTheOldestItem() throws Exception {
    Batcher<String, String> b = batcher(policy(8, 10, List.of()), 100);
    b.submit(List.of("old"), NONE);
    time.now = 7 * MS;
    b.submit(List.of("new"), NONE);

    b.runOnce();

    assertThat(batches).containsExactly(List.of("old", "new"));
    assertThat(time.now).isEqualTo(10 * MS);
  }

  @Test
  void aPreferredBatchSizeRunsWithoutWaitingForTheDelay() throws Exception {
    Batcher<String, String> b = batcher(policy(8, 10, List.of(2)), 100);
    b.submit(List.of("a", "b"), NONE);

    b.runOnce();

    assertThat(batches).containsExactly(List.of("a", "b"));
    assertThat(time.now).isZero();
  }

  @Test
  void aCallSplitAcrossBatchesIsAnsweredWithAllItsOutputsInOrder() throws Exception {
    Batcher<String, String> b = batcher(policy(2, 0, List.of()), 100);
    CompletableFuture<List<String>> first = b.submit(List.of("a", "b", "c"), NONE);
    CompletableFuture<List<String>> second = b.submit(List.of("d"), NONE);

    b.runOnce();
    assertThat(first).isNotDone();
    b.runOnce();

    assertThat(batches).containsExactly(List.of("a", "b"), List.of("c", "d"));
    assertThat(first.get()).containsExactly("A", "B", "C");
    assertThat(second.get()).containsExactly("D");
  }

  @Test
  void aFullQueueRejectsTheWholeCallAtOnce() {
    Batcher<String, String> b = batcher(policy(8, 10, List.of()), 3);
    b.submit(List.of("a", "b"), NONE);

    CompletableFuture<List<String>> rejected = b.submit(List.of("c", "d"), NONE);

    assertThat(rejected).isCompletedExceptionally();
    assertThatThrownBy(rejected::join)
        .hasCauseInstanceOf(QueueFullException.class)
        .hasMessageContaining(
            "2 items waiting or being prepared, 2 more requested, capacity 3; retry later");
    assertThat(b.queued()).isEqualTo(2);
    assertThat(drops).containsExactly("QUEUE_FULL:2");
  }

  @Test
  void anAnnouncementIsAdmissionAndHoldsItsPlacesUntilSettled() {
    Batcher<String, String> b = batcher(policy(8, 10, List.of()), 3);
    b.submit(List.of("queued"), NONE);
    Batcher<String, String>.Announcement coming = b.announce(2);

    // Refused when announced, before the caller spends anything preparing the items.
    assertThatThrownBy(() -> b.announce(1))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("3 items waiting or being prepared, 1 more requested, capacity 3");
    // The announced items' places are taken for calls that queue directly, too.
    assertThat(b.submit(List.of("direct"), NONE)).isCompletedExceptionally();
    // The announced items themselves always get in.
    assertThat(coming.submit(List.of("a", "b"), NONE)).isNotCompletedExceptionally();
    assertThat(b.queued()).isEqualTo(3);
    assertThat(drops).containsExactly("QUEUE_FULL:1", "QUEUE_FULL:1");
  }

  @Test
  void aWithdrawnAnnouncementFreesItsPlaces() {
    Batcher<String, String> b = batcher(policy(8, 10, List.of()), 2);
    b.announce(2).withdraw();

    assertThat(b.submit(List.of("a", "b"), NONE)).isNotCompletedExceptionally();
  }

  @Test
  void aShutDownBatcherRefusesAnnouncements() {
    Batcher<String, String> b = batcher(policy(8, 10, List.of()), 2);
    b.shutdown();

    assertThatThrownBy(() -> b.announce(1))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
        .hasMessageContaining("shut down");
  }

  @Test
  void itemsWhoseDeadlinePassedNeverReachTheModel() throws Exception {
    Batcher<String, String> b = batcher(policy(8, 1, List.of()), 100);
    CompletableFuture<List<String>> late = b.submit(List.of("late"), 5 * MS);
    CompletableFuture<List<String>> fine = b.submit(List.of("fine"), NONE);
    time.now = 6 * MS;

    b.runOnce();

    assertThat(batches).containsExactly(List.of("fine"));
    assertThatThrownBy(late::join).hasCauseInstanceOf(DeadlineExpiredException.class);
    assertThat(fine.get()).containsExactly("FINE");
    assertThat(drops).containsExactly("DEADLINE:1");
  }

  @Test
  void cancelledItemsLeaveTheQueueAndNeverReachTheModel() throws Exception {
    Batcher<String, String> b = batcher(policy(8, 1, List.of()), 100);
    CompletableFuture<List<String>> kept = b.submit(List.of("kept"), NONE);
    CompletableFuture<List<String>> cancelled = b.submit(List.of("x", "y"), NONE);

    cancelled.cancel(false);
    assertThat(b.queued()).isEqualTo(1);
    b.runOnce();

    assertThat(batches).containsExactly(List.of("kept"));
    assertThat(kept.get()).containsExactly("KEPT");
    assertThat(drops).containsExactly("CANCELLED:2");
  }

  @Test
  void aFailingBatchFailsOnlyItsOwnItemsAndTheNextBatchRuns() throws Exception {
    Batcher<String, String> b = batcher(policy(2, 0, List.of()), 100);
    CompletableFuture<List<String>> bad = b.submit(List.of("ok", "boom"), NONE);
    CompletableFuture<List<String>> next = b.submit(List.of("after"), NONE);

    b.runOnce();
    b.runOnce();

    assertThatThrownBy(bad::join)
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("model failed on boom");
    assertThat(next.get()).containsExactly("AFTER");
  }

  @Test
  void shutdownRunsEveryAcceptedItemThenStops() throws Exception {
    Batcher<String, String> b = batcher(policy(2, 10, List.of()), 100);
    List<CompletableFuture<List<String>>> calls = new ArrayList<>();
    for (String s : List.of("a", "b", "c", "d", "e")) {
      calls.add(b.submit(List.of(s), NONE));
    }

    b.shutdown();
    CompletableFuture<List<String>> refused = b.submit(List.of("late"), NONE);
    int ran = 0;
    while (b.runOnce()) {
      ran++;
    }

    assertThat(ran).isEqualTo(3);
    assertThat(calls).allSatisfy(c -> assertThat(c).isCompleted());
    assertThat(time.now).as("no waiting for the delay once shut down").isZero();
    assertThatThrownBy(refused::join).hasMessageContaining("shut down");
  }

  @Test
  void workerThreadsBatchConcurrentCallsAndDrainOnShutdown() throws Exception {
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    Batcher<Integer, Integer> b =
        new Batcher<>(
            "real",
            BatchingPolicy.of(16, Duration.ofMillis(5)).withWorkers(2),
            new QueuePolicy(10_000),
            inputs -> {
              sizes.add(inputs.size());
              return inputs.stream().map(i -> i * 2).toList();
            },
            TimeSource.SYSTEM,
            BatchObserver.NONE);
    b.start();
    List<CompletableFuture<List<Integer>>> calls = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      calls.add(b.submit(List.of(i), NONE));
    }

    b.shutdown();
    assertThat(b.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    for (int i = 0; i < 1_000; i++) {
      assertThat(calls.get(i).get()).containsExactly(2 * i);
    }
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1_000);
    assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, 16));
    assertThat(sizes.size()).as("1,000 queued items make full batches").isLessThan(1_000);
  }

  @Test
  void withNothingAnnouncedALoneItemRunsAtOnce() throws Exception {
    Batcher<String, String> b = batcher(announced(8, 10), 100);
    b.submit(List.of("alone"), NONE);

    b.runOnce();

    assertThat(batches).containsExactly(List.of("alone"));
    assertThat(time.now).as("no wait for a batch nobody else will join").isZero();
  }

  @Test
  void aBatchWaitsForAnnouncedItemsAndClosesWhenTheyAreIn() throws Exception {
    Batcher<String, String> b = batcher(announced(8, 10), 100);
    Batcher<String, String>.Announcement coming = b.announce(2);
    b.submit(List.of("first"), NONE);
    time.duringNextWait(() -> coming.submit(List.of("decoded-1", "decoded-2"), NONE));

    b.runOnce();

    assertThat(batches).containsExactly(List.of("first", "decoded-1", "decoded-2"));
    assertThat(time.now).as("closed when the announced items came, not at the delay").isEqualTo(MS);
  }

  @Test
  void aWithdrawnAnnouncementEndsTheWait() throws Exception {
    Batcher<String, String> b = batcher(announced(8, 10), 100);
    Batcher<String, String>.Announcement coming = b.announce(1);
    b.submit(List.of("first"), NONE);
    time.duringNextWait(coming::withdraw);

    b.runOnce();

    assertThat(batches).containsExactly(List.of("first"));
    assertThat(time.now).isEqualTo(MS);
  }

  @Test
  void announcedItemsThatNeverComeCostAtMostTheDelay() throws Exception {
    Batcher<String, String> b = batcher(announced(8, 10), 100);
    b.announce(1);
    b.submit(List.of("first"), NONE);

    b.runOnce();

    assertThat(batches).containsExactly(List.of("first"));
    assertThat(time.now).isEqualTo(10 * MS);
  }

  @Test
  void anAnnouncementSettlesOnceHoweverItEnds() throws Exception {
    Batcher<String, String> b = batcher(announced(8, 10), 100);
    Batcher<String, String>.Announcement coming = b.announce(1);
    coming.withdraw();
    coming.withdraw();
    coming.submit(List.of("late"), NONE); // still queued, no longer counted
    b.runOnce();
    b.submit(List.of("alone"), NONE);

    b.runOnce();

    assertThat(batches).containsExactly(List.of("late"), List.of("alone"));
    assertThat(time.now).as("nothing counted as announced any more").isZero();
  }

  @Test
  void alwaysWaitsTheWholeDelayForALoneItem() throws Exception {
    Batcher<String, String> b = batcher(policy(8, 10, List.of()), 100);
    b.submit(List.of("alone"), NONE);

    b.runOnce();

    assertThat(time.now).isEqualTo(10 * MS);
  }

  @Test
  void policyRejectsNonsenseWithWhatWasExpected() {
    assertThatThrownBy(() -> policy(0, 1, List.of()))
        .hasMessage("maxBatchSize: 0 (expected: 1..4096)");
    assertThatThrownBy(() -> policy(4, 1, List.of(8)))
        .hasMessage("preferredBatchSizes: 8 (expected: 1..4, within maxBatchSize)");
    assertThatThrownBy(() -> policy(4, -1, List.of()))
        .hasMessage("maxQueueDelay: -1 ms (expected: 0 to 10000 ms)");
  }

  private Batcher<String, String> batcher(BatchingPolicy policy, int maxQueueItems) {
    return new Batcher<>(
        "test",
        policy,
        new QueuePolicy(maxQueueItems),
        inputs -> {
          batches.add(List.copyOf(inputs));
          for (String s : inputs) {
            if (s.equals("boom")) {
              throw new IllegalStateException("model failed on boom");
            }
          }
          return inputs.stream().map(String::toUpperCase).toList();
        },
        time,
        new BatchObserver() {
          @Override
          public void batch(int size, long oldestWaitNanos, long runNanos) {}

          @Override
          public void dropped(Drop reason, int items) {
            drops.add(reason + ":" + items);
          }
        });
  }

  /** A policy whose batches always wait for the delay (the tests above are about the delay). */
  private static BatchingPolicy policy(int max, long delayMs, List<Integer> preferred) {
    return new BatchingPolicy(max, Duration.ofMillis(delayMs), preferred, 1, BatchWait.ALWAYS);
  }

  private static BatchingPolicy announced(int max, long delayMs) {
    return BatchingPolicy.of(max, Duration.ofMillis(delayMs)).withBatchWait(BatchWait.ANNOUNCED);
  }

  /**
   * Time that passes only when the batcher waits: every wait times out at once, unless a test set
   * something to happen during the next wait (another thread's submit, say), which then takes 1 ms.
   */
  static final class FakeTime implements TimeSource {
    volatile long now;
    private Runnable duringNextWait;

    void duringNextWait(Runnable action) {
      duringNextWait = action;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void await(Condition condition, long nanos) {
      Runnable action = duringNextWait;
      if (action != null) {
        duringNextWait = null;
        now += Math.min(nanos, MS);
        action.run(); // on the waiting thread, which holds the batcher's (reentrant) lock
      } else {
        now += nanos;
      }
    }
  }
}
