package zeroshot.client;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyStreamRequest;
import zeroshot.v1.ClassifyStreamResponse;

/**
 * The fake's side of one ClassifyStream call. Answers newest first, so out of order: by default it
 * holds items until two are unanswered (or the client half-closes), so a client needs a maxInFlight
 * of at least 2; with {@code holdAll} it holds every item until {@link #answerHeld()}. Each item's
 * ClassifyRequest is added to the fake's {@code requests}. Items with no labels, a blank label or
 * an empty encoded image get a per-item INVALID_ARGUMENT; an empty request_id, or one already in
 * flight, ends the stream with INVALID_ARGUMENT, as on the real server.
 */
public final class FakeClassifyStream implements StreamObserver<ClassifyStreamRequest> {

  private final ServerCallStreamObserver<ClassifyStreamResponse> responses;
  private final boolean holdAll;
  private final Collection<Object> requests;
  private final Deque<ClassifyStreamRequest> held = new ArrayDeque<>(); // newest first
  private final Set<String> unanswered = new HashSet<>();
  private int maxUnanswered;
  private long received;
  private boolean halfClosed;
  private boolean ended;

  FakeClassifyStream(
      ServerCallStreamObserver<ClassifyStreamResponse> responses,
      boolean holdAll,
      Collection<Object> requests) {
    this.responses = responses;
    this.holdAll = holdAll;
    this.requests = requests;
  }

  /** Returns the most items that were received and not yet answered at any one time. */
  public synchronized int maxUnanswered() {
    return maxUnanswered;
  }

  /** Returns the number of items received. */
  public synchronized long received() {
    return received;
  }

  /**
   * Waits up to 5 seconds until at least {@code count} items are held; returns whether they are.
   */
  public synchronized boolean awaitHeld(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (held.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /**
   * Answers the items held now, newest first; ends the stream if the client has half-closed. Items
   * that arrive meanwhile (with direct executors, from within an answer) are held for next time.
   */
  public synchronized void answerHeld() {
    List<ClassifyStreamRequest> batch = new ArrayList<>(held);
    held.clear();
    for (ClassifyStreamRequest item : batch) {
      if (ended) {
        return;
      }
      unanswered.remove(item.getRequestId());
      responses.onNext(answer(item));
    }
    if (!ended && halfClosed && unanswered.isEmpty()) {
      ended = true;
      responses.onCompleted();
    }
  }

  @Override
  public synchronized void onNext(ClassifyStreamRequest item) {
    if (ended) {
      return;
    }
    String id = item.getRequestId();
    if (id.isEmpty() || !unanswered.add(id)) {
      String why = id.isEmpty() ? "empty" : "\"" + id + "\" is in flight";
      end(Status.INVALID_ARGUMENT.withDescription("request_id: " + why + " (expected: unique)"));
      return;
    }
    received++;
    requests.add(item.getRequest());
    maxUnanswered = Math.max(maxUnanswered, unanswered.size());
    held.addFirst(item);
    notifyAll();
    if (!holdAll && held.size() >= 2) {
      answerHeld();
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    ended = true; // the client cancelled
  }

  @Override
  public synchronized void onCompleted() {
    halfClosed = true;
    if (!holdAll) {
      answerHeld();
    } else if (unanswered.isEmpty()) {
      answerHeld(); // nothing held: just ends the stream
    }
  }

  private void end(Status status) {
    ended = true;
    responses.onError(status.asRuntimeException());
  }

  private static ClassifyStreamResponse answer(ClassifyStreamRequest item) {
    ClassifyStreamResponse.Builder response =
        ClassifyStreamResponse.newBuilder().setRequestId(item.getRequestId());
    ClassifyRequest request = item.getRequest();
    String invalid = invalid(request);
    if (invalid != null) {
      return response
          .setError(
              com.google.rpc.Status.newBuilder()
                  .setCode(Status.Code.INVALID_ARGUMENT.value())
                  .setMessage(invalid))
          .build();
    }
    return response.setResponse(FakeZeroShotService.classifyResponse(request)).build();
  }

  /** Returns why the labels or the image are invalid, or null. */
  static String invalid(ClassifyRequest request) {
    if (request.hasImage()
        && request.getImage().hasEncoded()
        && request.getImage().getEncoded().isEmpty()) {
      return "image.encoded: empty (expected: JPEG, PNG, GIF, BMP or WebP bytes)";
    }
    if (request.getLabelsCount() == 0 && request.getLabelSet().isEmpty()) {
      return "labels: empty (expected: 1 to 1000 labels, or a label_set)";
    }
    String template = request.getPromptTemplate();
    if (!template.isEmpty() && template.split("\\{}", -1).length != 2) {
      return "prompt_template: \"" + template + "\" (expected: \"{}\" exactly once)";
    }
    for (int i = 0; i < request.getLabelsCount(); i++) {
      if (request.getLabels(i).isBlank()) {
        return "labels[" + i + "]: blank (expected: a non-blank label)";
      }
    }
    return null;
  }
}
