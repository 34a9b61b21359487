package zeroshot.client.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, e.g. {@code [=====> ] 512/1000 images, 230/s}, redrawn in
 * place with a carriage return at most every {@value #REDRAW_MILLIS} ms. Thread-safe.
 */
final class ProgressBar {

  /** The width of the bar between the brackets, in characters. */
  static final int WIDTH = 30;

  /** The least time between two redraws, in milliseconds; the last one is always drawn. */
  static final long REDRAW_MILLIS = 200;

  private final PrintWriter err;
  private final int total;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long lastDrawNanos;
  private int done;
  private int drawn = -1; // the count the bar shows now; -1 before the first draw

  ProgressBar(PrintWriter err, int total, LongSupplier nanoClock) {
    this.err = err;
    this.total = total;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastDrawNanos = startNanos - TimeUnit.MILLISECONDS.toNanos(REDRAW_MILLIS);
  }

  /** Counts one more item done, redrawing if the last redraw is old enough or all are done. */
  synchronized void advance() {
    done++;
    long now = nanoClock.getAsLong();
    if (done == total || now - lastDrawNanos >= TimeUnit.MILLISECONDS.toNanos(REDRAW_MILLIS)) {
      lastDrawNanos = now;
      draw(now);
    }
  }

  /**
   * Ends the line, so what follows on stderr starts on its own, first drawing the final count if
   * the bar does not show it yet (it already does after the last item: drawing it again would write
   * the bar twice).
   */
  synchronized void finish() {
    if (drawn != done) {
      draw(nanoClock.getAsLong());
    }
    err.println();
    err.flush();
  }

  private void draw(long now) {
    drawn = done;
    err.print('\r' + render(done, total, now - startNanos));
    err.flush();
  }

  static String render(int done, int total, long elapsedNanos) {
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    String bar =
        filled >= WIDTH
            ? "=".repeat(WIDTH)
            : "=".repeat(filled) + ">" + " ".repeat(WIDTH - filled - 1);
    double seconds = elapsedNanos / 1e9;
    long rate = seconds <= 0 ? 0 : Math.round(done / seconds);
    return String.format(Locale.ROOT, "[%s] %d/%d images, %d/s", bar, done, total, rate);
  }
}
