package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport's per-message warnings become one line per interval, counted, on a fake clock. */
class UnreadableMessageLogTest {
  private final Logger logger = Logger.getLogger("test." + getClass().getName());
  private final List<LogRecord> passed = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private long now = 1_000;
  private final UnreadableMessageLog log = new UnreadableMessageLog(logger, () -> now, lines::add);

  {
    logger.setUseParentHandlers(false);
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            passed.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @AfterEach
  void uninstall() {
    log.close();
    for (Handler h : logger.getHandlers()) {
      logger.removeHandler(h);
    }
  }

  @Test
  void fiftyUnreadableMessagesGiveOneLineWithoutStackTrace() {
    for (int i = 0; i < 50; i++) {
      logger.log(Level.WARNING, UnreadableMessageLog.MESSAGE, tooLarge());
    }

    assertThat(passed).isEmpty();
    assertThat(lines)
        .containsExactly(
            "a client message could not be read, the call was ended with RESOURCE_EXHAUSTED:"
                + " gRPC message exceeds maximum size 1024: 2048; at most one such line per 10 s");
  }

  @Test
  void theNextLineAfterTheIntervalCountsTheOnesLeftOut() {
    for (int i = 0; i < 50; i++) {
      logger.log(Level.WARNING, UnreadableMessageLog.MESSAGE, tooLarge());
    }
    now += TimeUnit.SECONDS.toNanos(9);
    logger.log(Level.WARNING, UnreadableMessageLog.MESSAGE, tooLarge());
    assertThat(lines).hasSize(1);

    now += TimeUnit.SECONDS.toNanos(1);
    logger.log(Level.WARNING, UnreadableMessageLog.MESSAGE, tooLarge());

    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains(" (50 more since the last such line, not logged)");
  }

  @Test
  void otherRecordsOfTheLoggerPass() {
    logger.log(Level.WARNING, "Something else", new IllegalStateException("boom"));

    assertThat(passed).extracting(LogRecord::getMessage).containsExactly("Something else");
    assertThat(lines).isEmpty();
  }

  @Test
  void closingPutsBackThePreviousFilter() {
    log.close();

    assertThat(logger.getFilter()).isNull();
  }

  private static Throwable tooLarge() {
    return Status.RESOURCE_EXHAUSTED
        .withDescription("gRPC message exceeds maximum size 1024: 2048")
        .asRuntimeException();
  }
}
