package zeroshot.client;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyStreamRequest;

/** Builds the items of a {@link ZeroShotClient#classifyStream classifyStream} call. */
public final class StreamRequests {

  private StreamRequests() {}

  /**
   * Wraps requests into stream items whose ids are their positions: {@code "0"}, {@code "1"}, ...
   * The returned iterator is as lazy as the given one: it pulls one request per item it returns, so
   * {@code Integer.parseInt(response.getRequestId())} finds the request an answer belongs to.
   */
  public static Iterator<ClassifyStreamRequest> withSequentialIds(
      Iterator<? extends ClassifyRequest> requests) {
    requireNonNull(requests, "requests");
    return new Iterator<>() {
      private long next;

      @Override
      public boolean hasNext() {
        return requests.hasNext();
      }

      @Override
      public ClassifyStreamRequest next() {
        ClassifyRequest request = requests.next();
        return ClassifyStreamRequest.newBuilder()
            .setRequestId(Long.toString(next++))
            .setRequest(request)
            .build();
      }
    };
  }
}
