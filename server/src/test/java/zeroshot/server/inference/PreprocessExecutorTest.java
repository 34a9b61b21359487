package zeroshot.server.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The preprocessing pool: a full pool refuses at once instead of blocking the caller, and a task
 * cancelled while it waits leaves the queue (its place is free again) and never runs. Its one
 * thread is held busy with a latch, so what waits is known exactly.
 */
@Timeout(30)
class PreprocessExecutorTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private PreprocessExecutor executor;

  @AfterEach
  void stop() {
    release.countDown();
    if (executor != null) {
      executor.close();
    }
  }

  @Test
  void aTaskRunsOnAPreprocessThreadAndItsValueCompletesTheFuture() throws Exception {
    executor = new PreprocessExecutor(1, 1);

    String thread =
        executor.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);

    assertThat(thread).startsWith("preprocess-");
  }

  @Test
  void aTaskThatThrowsFailsItsFuture() {
    executor = new PreprocessExecutor(1, 1);
    IllegalStateException failure = new IllegalStateException("undecodable");

    CompletableFuture<Object> future =
        executor.submit(
            () -> {
              throw failure;
            });

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCause(failure);
  }

  @Test
  void aFullPoolFailsTheSubmissionAtOnceWithOverloaded() throws Exception {
    executor = new PreprocessExecutor(1, 1);
    holdTheThread();
    CompletableFuture<String> queued = executor.submit(() -> "queued");

    CompletableFuture<String> refused = executor.submit(() -> "refused");

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join)
        .hasCauseInstanceOf(OverloadedException.class)
        .hasMessageContaining("server at capacity: 1 requests running and 1 queued; retry later");
    assertThat(queued).isNotDone();
    assertThat(executor.queued()).isEqualTo(1);
  }

  @Test
  void withoutAQueueATaskIsRefusedWhileEveryThreadIsBusy() throws Exception {
    executor = new PreprocessExecutor(1, 0);
    holdTheThread();

    assertThat(executor.submit(() -> "refused")).isCompletedExceptionally();
  }

  @Test
  void aTaskCancelledWhileQueuedFreesItsPlaceAndNeverRuns() throws Exception {
    executor = new PreprocessExecutor(1, 1);
    CompletableFuture<String> holder = holdTheThread();
    AtomicBoolean ran = new AtomicBoolean();
    CompletableFuture<String> cancelled =
        executor.submit(
            () -> {
              ran.set(true);
              return "cancelled";
            });

    cancelled.cancel(false);

    assertThat(executor.queued()).isZero();
    CompletableFuture<String> next = executor.submit(() -> "next");
    assertThat(next).isNotCompletedExceptionally();
    release.countDown();
    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
    assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("next");
    assertThat(ran).isFalse();
  }

  @Test
  void drainLetsTheTasksAlreadyAcceptedFinish() throws Exception {
    executor = new PreprocessExecutor(1, 1);
    CompletableFuture<String> holder = holdTheThread();
    CompletableFuture<String> queued = executor.submit(() -> "queued");

    release.countDown();

    assertThat(executor.drain(Duration.ofSeconds(10))).isTrue();
    assertThat(holder).isCompletedWithValue("held");
    assertThat(queued).isCompletedWithValue("queued");
  }

  /** Occupies the pool's one thread until {@link #release} opens; returns once it runs. */
  private CompletableFuture<String> holdTheThread() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<String> holder =
        executor.submit(
            () -> {
              running.countDown();
              release.await();
              return "held";
            });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    return holder;
  }
}
