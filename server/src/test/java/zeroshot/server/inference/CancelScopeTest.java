package zeroshot.server.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * One call's parts: the combined result fails as soon as either side fails, and a result that ends
 * other than normally cancels every part still pending, including one added afterwards.
 */
class CancelScopeTest {
  private static final RuntimeException BOOM = new IllegalStateException("boom");

  @Test
  void bothCombinesTheTwoResults() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<Integer> b = new CompletableFuture<>();
    CompletableFuture<String> out = CancelScope.both(a, b, (s, n) -> s + n);

    a.complete("x");
    assertThat(out).isNotDone();
    b.complete(1);

    assertThat(out).isCompletedWithValue("x1");
  }

  @Test
  void bothFailsAsSoonAsTheFirstSideFailsWithoutWaitingForTheSecond() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    CompletableFuture<String> out = CancelScope.both(a, b, String::concat);

    a.completeExceptionally(BOOM);

    assertThat(b).isNotDone();
    assertThat(out).isCompletedExceptionally(); // checked first: join() would wait for b
    assertThatThrownBy(out::join).isInstanceOf(CompletionException.class).hasCause(BOOM);
  }

  @Test
  void bothFailsAsSoonAsTheSecondSideFailsWithoutWaitingForTheFirst() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    CompletableFuture<String> out = CancelScope.both(a, b, String::concat);

    b.completeExceptionally(BOOM);

    assertThat(a).isNotDone();
    assertThat(out).isCompletedExceptionally(); // checked first: join() would wait for a
    assertThatThrownBy(out::join).isInstanceOf(CompletionException.class).hasCause(BOOM);
  }

  @Test
  void aResultThatFailsCancelsThePartsStillPendingAndLeavesTheDoneOnes() {
    CancelScope scope = new CancelScope();
    CompletableFuture<String> done = scope.add(CompletableFuture.completedFuture("done"));
    CompletableFuture<String> pending = scope.add(new CompletableFuture<>());
    CompletableFuture<String> result = scope.guard(new CompletableFuture<>());

    result.completeExceptionally(BOOM);

    assertThat(pending).isCancelled();
    assertThat(done).isCompletedWithValue("done");
  }

  @Test
  void aCancelledResultCancelsThePartsStillPending() {
    CancelScope scope = new CancelScope();
    CompletableFuture<String> pending = scope.add(new CompletableFuture<>());
    CompletableFuture<String> result = scope.guard(new CompletableFuture<>());

    result.cancel(false);

    assertThat(pending).isCancelled();
  }

  @Test
  void aResultThatSucceedsCancelsNothing() {
    CancelScope scope = new CancelScope();
    CompletableFuture<String> pending = scope.add(new CompletableFuture<>());
    CompletableFuture<String> result = scope.guard(new CompletableFuture<>());

    result.complete("ok");
    CompletableFuture<String> later = scope.add(new CompletableFuture<>());

    assertThat(pending).isNotDone();
    assertThat(later).isNotDone();
  }

  @Test
  void aPartAddedAfterTheResultFailedIsCancelledAtOnce() {
    // The image's batcher submission is added only once its decoding is done: by then the call
    // may have been cancelled, and the submission must not reach the model.
    CancelScope scope = new CancelScope();
    CompletableFuture<String> result = scope.guard(new CompletableFuture<>());
    result.cancel(false);

    CompletableFuture<String> late = scope.add(new CompletableFuture<>());

    assertThat(late).isCancelled();
  }
}
