package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.ZeroShotServiceGrpc;

/**
 * Bytes that are not a valid protobuf of the request type get INVALID_ARGUMENT naming the type, not
 * grpc-java's default UNKNOWN "Application error processing RPC", and log no stack trace.
 */
class MalformedRequestsOverGrpcTest {
  /** Field 1, length-delimited, 127 bytes announced, none sent. */
  private static final byte[] CUT_OFF = {0x0A, 0x7F};

  /** Field 1 (a string) holding the invalid UTF-8 sequence C3 28. */
  private static final byte[] BAD_UTF8 = {0x0A, 0x02, (byte) 0xC3, 0x28};

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static RunningServer running;
  private static final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private static final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void start() throws Exception {
    running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 2, 64, Limits.defaults(), Duration.ofSeconds(5)),
            (manifest, device) -> new FakeEmbeddingModel(manifest));
    Logger.getLogger("").addHandler(capture);
  }

  @AfterAll
  static void stop() throws Exception {
    Logger.getLogger("").removeHandler(capture);
    running.close();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "Classify, CUT_OFF, zeroshot.v1.ClassifyRequest, the input ended unexpectedly",
    "Classify, BAD_UTF8, zeroshot.v1.ClassifyRequest, invalid UTF-8",
    "EmbedTexts, CUT_OFF, zeroshot.v1.EmbedTextsRequest, the input ended unexpectedly",
    "PutLabelSet, CUT_OFF, zeroshot.v1.PutLabelSetRequest, the input ended unexpectedly",
    "GetLabelSet, BAD_UTF8, zeroshot.v1.GetLabelSetRequest, invalid UTF-8"
  })
  void garbageBytesAreInvalidArgumentNamingTheType(
      String method, String bytes, String type, String reason) {
    records.clear();
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    running.channel,
                    raw(method, MethodDescriptor.MethodType.UNARY),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                    bytes.equals("CUT_OFF") ? CUT_OFF : BAD_UTF8));

    assertThat(e.getStatus().getCode())
        .as(e.getStatus().toString())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .startsWith("request: not a valid " + type + " protobuf: ")
        .contains(reason)
        .endsWith(" (expected: a serialized " + type + ")");
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    assertThat(rich).isNotNull();
    assertThat(rich.getDetailsList())
        .anySatisfy(
            d ->
                assertThat(d.unpack(BadRequest.class).getFieldViolations(0).getField())
                    .isEqualTo("request"));
    assertThat(records).noneMatch(r -> r.getThrown() != null);
  }

  @Test
  void garbageToTheHealthServiceIsInvalidArgumentToo() {
    MethodDescriptor<byte[], byte[]> check =
        raw(HealthGrpc.SERVICE_NAME, "Check", MethodDescriptor.MethodType.UNARY);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    running.channel,
                    check,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                    CUT_OFF));

    assertThat(e.getStatus().getCode())
        .as(e.getStatus().toString())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .startsWith("request: not a valid grpc.health.v1.HealthCheckRequest protobuf: ");
  }

  @Test
  void garbageToTheReflectionServiceEndsItsStreamWithInvalidArgument() throws Exception {
    MethodDescriptor<byte[], byte[]> info =
        raw(
            ServerReflectionGrpc.SERVICE_NAME,
            "ServerReflectionInfo",
            MethodDescriptor.MethodType.BIDI_STREAMING);

    Status status = endOfStream(info, BAD_UTF8);

    assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .startsWith("request: not a valid grpc.reflection.v1.ServerReflectionRequest protobuf: ");
  }

  @Test
  void garbageOnAStreamEndsItWithInvalidArgument() throws Exception {
    Status status =
        endOfStream(raw("ClassifyStream", MethodDescriptor.MethodType.BIDI_STREAMING), CUT_OFF);

    assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo(
            "request: not a valid zeroshot.v1.ClassifyStreamRequest protobuf: While parsing a"
                + " protocol message, the input ended unexpectedly in the middle of a field."
                + " (expected: a serialized zeroshot.v1.ClassifyStreamRequest)");
  }

  @Test
  void theServerGoesOnServingAfterGarbage() {
    catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            ClientCalls.blockingUnaryCall(
                running.channel,
                raw("EmbedTexts", MethodDescriptor.MethodType.UNARY),
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                CUT_OFF));

    assertThat(
            running
                .blocking()
                .embedTexts(EmbedTextsRequest.newBuilder().addTexts("a cat").build())
                .getEmbeddingsCount())
        .isOne();
  }

  /** Sends {@code bytes} on a new bidirectional call of {@code method}; how the call ended. */
  private static Status endOfStream(MethodDescriptor<byte[], byte[]> method, byte[] bytes)
      throws Exception {
    CompletableFuture<Status> ended = new CompletableFuture<>();
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            running.channel.newCall(
                method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] value) {}

              @Override
              public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                ended.complete(Status.OK);
              }
            });
    requests.onNext(bytes);
    Status status = ended.get(30, TimeUnit.SECONDS);
    requests.onCompleted();
    return status;
  }

  /** A method of zeroshot.v1's service that sends and receives raw bytes. */
  private static MethodDescriptor<byte[], byte[]> raw(
      String method, MethodDescriptor.MethodType type) {
    return raw(ZeroShotServiceGrpc.SERVICE_NAME, method, type);
  }

  /** A method of {@code service} that sends and receives raw bytes. */
  private static MethodDescriptor<byte[], byte[]> raw(
      String service, String method, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }
}
