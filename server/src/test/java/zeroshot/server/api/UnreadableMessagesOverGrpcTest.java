package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import zeroshot.server.config.Limits;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.FakeEmbeddingModel;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.EmbedTextsRequest;

/**
 * Messages over {@code --max-message-bytes} are refused with RESOURCE_EXHAUSTED, and 50 of them log
 * one line without a stack trace (a client must not be able to flood the log).
 */
class UnreadableMessagesOverGrpcTest {
  private static final int MAX_MESSAGE_BYTES = 64 * 1024;

  @Test
  void fiftyOversizeMessagesAreRefusedAndLogOneLineWithoutStackTrace() throws Exception {
    Limits limits =
        new Limits(MAX_MESSAGE_BYTES, 40_000_000L, 1_000, 256, 2_048, 256, MAX_MESSAGE_BYTES);
    List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
    Handler capture = capturing(julRecords);
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<Status.Code> codes = new CopyOnWriteArrayList<>();
    try (RunningServer running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()), 2, 64, limits, Duration.ofSeconds(5)),
            (manifest, device) -> new FakeEmbeddingModel(manifest))) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      EmbedTextsRequest oversize =
          EmbedTextsRequest.newBuilder().addTexts("x".repeat(2 * MAX_MESSAGE_BYTES)).build();
      for (int i = 0; i < 50; i++) {
        StatusRuntimeException e =
            catchThrowableOfType(
                StatusRuntimeException.class, () -> running.blocking().embedTexts(oversize));
        codes.add(e.getStatus().getCode());
      }
      // The connection still serves a call within the limit.
      assertThat(
              running
                  .blocking()
                  .embedTexts(EmbedTextsRequest.newBuilder().addTexts("a cat").build())
                  .getEmbeddingsCount())
          .isOne();
    } finally {
      System.setErr(stderr);
      root.removeHandler(capture);
    }

    assertThat(codes).hasSize(50).containsOnly(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(julRecords)
        .as("java.util.logging records with a stack trace")
        .noneMatch(r -> r.getThrown() != null);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log.lines().filter(l -> l.contains("a client message could not be read")))
        .singleElement()
        .asString()
        .contains("WARN")
        .contains("RESOURCE_EXHAUSTED")
        .contains("exceeds maximum size");
    assertThat(log).doesNotContain("\tat ", "Exception processing message");
  }

  private static Handler capturing(List<LogRecord> records) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
