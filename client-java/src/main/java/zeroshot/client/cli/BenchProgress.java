package zeroshot.client.cli;

import java.io.PrintWriter;
import java.util.Locale;
import zeroshot.client.bench.ProgressListener;

/**
 * The progress line of one {@code zeroshot bench} step on stderr, e.g. {@code concurrency 8 [=====>
 * ] measuring, 1234 ok, 0 errors}, redrawn in place; the step calls it a few times a second.
 */
final class BenchProgress implements ProgressListener {

  private final PrintWriter err;
  private final String label;
  private String last = "";

  BenchProgress(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  @Override
  public synchronized void update(boolean warmingUp, double fractionDone, long ok, long errors) {
    last = render(label, warmingUp, fractionDone, ok, errors);
    err.print('\r' + last);
    err.flush();
  }

  /** Ends the line, so what follows starts on its own; the last update is not drawn again. */
  synchronized void finish() {
    if (!last.isEmpty()) {
      err.println();
      err.flush();
    }
  }

  static String render(String label, boolean warmingUp, double fraction, long ok, long errors) {
    int filled = (int) Math.round(ProgressBar.WIDTH * Math.min(1, Math.max(0, fraction)));
    String bar =
        filled >= ProgressBar.WIDTH
            ? "=".repeat(ProgressBar.WIDTH)
            : "=".repeat(filled) + ">" + " ".repeat(ProgressBar.WIDTH - filled - 1);
    String phase = warmingUp ? "warming up" : "measuring";
    return String.format(
        Locale.ROOT, "%s [%s] %s, %d ok, %d errors", label, bar, phase, ok, errors);
  }
}
