package zeroshot.client.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import zeroshot.client.ZeroShotClient;
import zeroshot.v1.ClassifyRequest;

/** Sends each request as one {@code Classify} call, cycling through prepared requests. */
public final class UnarySender implements Sender {

  private final ZeroShotClient client;
  private final List<ClassifyRequest> requests;
  private final Duration deadline;

  /**
   * Creates a sender.
   *
   * @param requests built once, so that sending costs no more than the call itself; not empty
   * @param deadline of each call
   */
  public UnarySender(ZeroShotClient client, List<ClassifyRequest> requests, Duration deadline) {
    this.client = requireNonNull(client, "client");
    this.requests = List.copyOf(requests);
    this.deadline = requireNonNull(deadline, "deadline");
    if (this.requests.isEmpty()) {
      throw new IllegalArgumentException("requests: none (expected: at least one)");
    }
  }

  @Override
  public CompletableFuture<?> send(long sequence) {
    return client.classifyAsync(requests.get((int) (sequence % requests.size())), deadline);
  }
}
