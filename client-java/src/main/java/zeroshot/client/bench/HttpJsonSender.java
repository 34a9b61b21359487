package zeroshot.client.bench;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;

/**
 * Sends each request as {@code POST /v1/classify} to the server's HTTP/JSON port, the image in
 * base64 (the proto3 JSON mapping), and reads the answer as a client would: parsed back into a
 * ClassifyResponse. A non-200 answer fails with the gRPC status its JSON body carries, so the
 * report counts errors by code as for gRPC.
 */
public final class HttpJsonSender implements Sender {
  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");

  private final HttpClient http;
  private final URI classify;
  private final List<String> bodies;
  private final Duration deadline;
  private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();

  /**
   * Creates a sender.
   *
   * @param base the HTTP port, e.g. {@code http://localhost:8080}
   * @param requests printed to JSON once, so that sending costs no more than the call itself
   * @param deadline of each call (the HTTP client's timeout, and {@code grpc-timeout})
   */
  public HttpJsonSender(
      HttpClient http, URI base, List<ClassifyRequest> requests, Duration deadline)
      throws InvalidProtocolBufferException {
    this.http = requireNonNull(http, "http");
    this.classify = base.resolve("/v1/classify");
    this.deadline = requireNonNull(deadline, "deadline");
    JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    List<String> printed = new ArrayList<>(requests.size());
    for (ClassifyRequest request : requests) {
      printed.add(printer.print(request));
    }
    if (printed.isEmpty()) {
      throw new IllegalArgumentException("requests: none (expected: at least one)");
    }
    this.bodies = List.copyOf(printed);
  }

  @Override
  public CompletableFuture<?> send(long sequence) {
    HttpRequest request =
        HttpRequest.newBuilder(classify)
            .timeout(deadline)
            .header("Content-Type", "application/json")
            .header("grpc-timeout", deadline.toMillis() + "m")
            .POST(HttpRequest.BodyPublishers.ofString(bodies.get((int) (sequence % bodies.size()))))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(this::answer);
  }

  private ClassifyResponse answer(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      Matcher code = CODE.matcher(response.body());
      Status status =
          code.find()
              ? Status.fromCodeValue(Integer.parseInt(code.group(1)))
              : Status.UNKNOWN.withDescription("HTTP " + response.statusCode());
      throw status.asRuntimeException();
    }
    try {
      ClassifyResponse.Builder answer = ClassifyResponse.newBuilder();
      parser.merge(response.body(), answer);
      return answer.build();
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL.withDescription("not a ClassifyResponse: " + e).asRuntimeException();
    }
  }
}
