package zeroshot.server.api;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.messages.Echo;

/**
 * Logs the messages grpc-java could not read (over {@code --max-message-bytes}, or badly
 * compressed) as one WARN line at most every {@link #INTERVAL}, which counts the ones left out,
 * instead of a warning with a full stack trace for every message: a client could otherwise flood
 * the log. The client still gets the transport's status (RESOURCE_EXHAUSTED for a message too
 * large).
 *
 * <p>The warning comes from the Netty transport ({@code NettyServerStream.TransportState
 * .deframeFailed}, through java.util.logging) before any interceptor or service sees the call, so
 * this is a {@link Filter} on that logger; the logger's other records pass unchanged. {@link
 * #close()} puts back the filter it replaced.
 */
public final class UnreadableMessageLog implements Filter, AutoCloseable {
  /** Shortest time between two lines. */
  public static final Duration INTERVAL = Duration.ofSeconds(10);

  static final String LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";
  static final String MESSAGE = "Exception processing message";

  /** Held: java.util.logging keeps loggers weakly, and a collected one would lose the filter. */
  private final Logger logger;

  private final Filter previous;
  private final LongSupplier nanoClock;
  private final Consumer<String> warn;
  private boolean loggedOnce;
  private long nextLineAt;
  private int leftOut;

  UnreadableMessageLog(Logger logger, LongSupplier nanoClock, Consumer<String> warn) {
    this.logger = requireNonNull(logger, "logger");
    this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    this.warn = requireNonNull(warn, "warn");
    this.previous = logger.getFilter();
    logger.setFilter(this);
  }

  /** Filters the Netty transport's warnings into this server's log. */
  public static UnreadableMessageLog install() {
    return new UnreadableMessageLog(
        Logger.getLogger(LOGGER),
        System::nanoTime,
        LoggerFactory.getLogger(UnreadableMessageLog.class)::warn);
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (!MESSAGE.equals(record.getMessage())) {
      return previous == null || previous.isLoggable(record);
    }
    String line = null;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      if (loggedOnce && now - nextLineAt < 0) {
        leftOut++;
      } else {
        line = line(Status.fromThrowable(record.getThrown()), leftOut);
        loggedOnce = true;
        nextLineAt = now + INTERVAL.toNanos();
        leftOut = 0;
      }
    }
    if (line != null) {
      warn.accept(line);
    }
    return false;
  }

  private static String line(Status status, int leftOut) {
    String description = status.getDescription() == null ? "" : ": " + status.getDescription();
    return "a client message could not be read, the call was ended with "
        + status.getCode()
        + Echo.value(description, 200)
        + (leftOut == 0 ? "" : " (" + leftOut + " more since the last such line, not logged)")
        + "; at most one such line per "
        + INTERVAL.toSeconds()
        + " s";
  }

  @Override
  public void close() {
    if (logger.getFilter() == this) {
      logger.setFilter(previous);
    }
  }
}
