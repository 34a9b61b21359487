package zeroshot.client.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the server's {@code /metrics} at the start of a step's measured phase (once its warm-up is
 * over, on a thread of its own, so the sender is never delayed) and again when the step is done,
 * and adds the difference to the step's result. A scrape that fails is reported once as a warning
 * and leaves the step without server figures: the client-side figures stand on their own.
 */
public final class ServerScrapes {

  private volatile MetricsSource source; // null once a first scrape has failed
  private final String model;
  private final Consumer<String> warn;
  private boolean warned;

  /**
   * Creates the scrapes.
   *
   * @param source where the metrics are read, or null to read none
   * @param model the model whose batches count, or null for every model
   * @param warn receives a message when a scrape fails
   */
  public ServerScrapes(MetricsSource source, String model, Consumer<String> warn) {
    this.source = source;
    this.model = model;
    this.warn = warn;
  }

  /**
   * Reads the metrics once before the run: a fresh HTTP client takes a few hundred milliseconds to
   * its first answer, which would move the first step's opening scrape well into its measured phase
   * (seen as fewer batched items than answered requests). A source that cannot be read now is
   * warned about once and not tried again, rather than costing every step a timeout.
   */
  public void prime() {
    if (source != null && scrape() == null) {
      source = null;
    }
  }

  /** Runs a step whose warm-up lasts {@code warmup}, adding the server's figures to its result. */
  public StepResult around(Duration warmup, Supplier<StepResult> step) {
    if (source == null) {
      return step.get();
    }
    CompletableFuture<List<PrometheusText.Sample>> before = new CompletableFuture<>();
    Thread scraper =
        new Thread(
            () -> {
              try {
                Thread.sleep(warmup.toMillis());
                before.complete(scrape());
              } catch (InterruptedException e) {
                before.complete(null);
              }
            },
            "metrics-scrape");
    scraper.setDaemon(true);
    scraper.start();
    StepResult result = step.get();
    List<PrometheusText.Sample> start = before.join();
    List<PrometheusText.Sample> end = scrape();
    if (start == null || end == null) {
      return result;
    }
    return result.withServer(ServerFigures.between(start, end, model));
  }

  private List<PrometheusText.Sample> scrape() {
    try {
      return source.scrape();
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        if (!warned) {
          warned = true;
          String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
          warn.accept("cannot read the server's metrics (" + why + "); no server figures");
        }
      }
      return null;
    }
  }
}
