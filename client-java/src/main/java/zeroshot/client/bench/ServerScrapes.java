package zeroshot.client.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import zeroshot.v1.ListModelsResponse;
import zeroshot.v1.ModelInfo;

/**
 * Reads the server's {@code /metrics} at the start of a step's measured phase (once its warm-up is
 * over, on a thread of its own, so the sender is never delayed) and again when the step is done,
 * and adds the difference to the step's result. A scrape that fails is reported once as a warning
 * and leaves the step without server figures: the client-side figures stand on their own. So does a
 * source whose models are not the ones the server under load serves: its figures would be another
 * server's.
 */
public final class ServerScrapes {

  /** The gauge, one series per model, whose {@code model} and {@code version} identify a server. */
  static final String MODEL_READY = "zeroshot_model_ready";

  private volatile MetricsSource source; // null once a first scrape has failed
  private final String url;
  private final String model;
  private final Consumer<String> warn;
  private boolean warned;

  /**
   * Creates the scrapes.
   *
   * @param source where the metrics are read, or null to read none
   * @param url the address of {@code source}, named in warnings
   * @param model the model whose batches count, or null for every model
   * @param warn receives a message when a scrape fails or comes from another server
   */
  public ServerScrapes(MetricsSource source, String url, String model, Consumer<String> warn) {
    this.source = source;
    this.url = url;
    this.model = model;
    this.warn = warn;
  }

  /**
   * Reads the metrics once before the run, and checks that they are those of the server under load:
   * the models and versions of their {@value #MODEL_READY} series must be exactly those the server
   * lists ({@code ListModels}). The default address uses the metrics port the server reports in
   * ListModels; one that reports none (an older server) gets port 9464, which can reach another
   * server on the same host, and two servers with the same models cannot be told apart this way. A
   * source that cannot be read, or is another server's, is warned about once and not read again:
   * the run then has no server figures rather than wrong ones.
   *
   * <p>Reading once before the run also matters for timing: a fresh HTTP client takes a few hundred
   * milliseconds to its first answer, which would move the first step's opening scrape well into
   * its measured phase (seen as fewer batched items than answered requests).
   *
   * @param served what the server under load answered to ListModels
   */
  public void prime(ListModelsResponse served) {
    if (source == null) {
      return;
    }
    List<PrometheusText.Sample> samples = scrape();
    if (samples == null) {
      source = null;
      return;
    }
    Set<String> scraped = scrapedModels(samples);
    Set<String> expected = servedModels(served);
    if (!scraped.equals(expected)) {
      source = null;
      warn.accept(
          "the metrics at "
              + url
              + " are not those of the server under load: they list models "
              + scraped
              + " (expected: "
              + expected
              + ", from ListModels); no server figures (set --metrics-url to its /metrics)");
    }
  }

  static Set<String> scrapedModels(List<PrometheusText.Sample> samples) {
    Set<String> models = new TreeSet<>();
    for (PrometheusText.Sample s : samples) {
      if (s.name().equals(MODEL_READY)) {
        models.add(s.labels().get("model") + " " + s.labels().get("version"));
      }
    }
    return models;
  }

  static Set<String> servedModels(ListModelsResponse served) {
    Set<String> models = new TreeSet<>();
    for (ModelInfo m : served.getModelsList()) {
      models.add(m.getName() + " " + m.getVersion());
    }
    return models;
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
          warn.accept(
              "cannot read the server's metrics at "
                  + url
                  + " ("
                  + why
                  + "); no server figures (set --metrics-url to its /metrics, or none)");
        }
      }
      return null;
    }
  }
}
