package zeroshot.server;

import java.util.Locale;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.config.Limits;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.config.ServerConfig;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.Scoring;
import zeroshot.server.model.ServedModel;
import zeroshot.server.model.image.Geometry;

/** The one readable block the server logs when it is ready. */
final class StartupSummary {
  private StartupSummary() {}

  /**
   * @param port the bound gRPC port
   * @param httpPort the bound HTTP/JSON port, or -1 when there is none
   * @param metricsPort the bound port of {@code /metrics} (not {@code --metrics-port}, which may be
   *     0 for any free one), or -1 when metrics are off
   */
  static String describe(
      ServerConfig config,
      ModelRegistry models,
      int threads,
      int port,
      int httpPort,
      int metricsPort) {
    StringBuilder s = new StringBuilder("ZeroShot Serve ready\n");
    s.append(String.format("  gRPC      %s:%d (health, reflection v1)%n", config.host(), port));
    s.append(
        httpPort < 0
            ? String.format("  HTTP      off%n")
            : String.format(
                "  HTTP      %s://%s:%d/ (JSON API; the playground at /)%n",
                config.security().tls() ? "https" : "http", config.host(), httpPort));
    s.append(String.format("  security  %s%n", security(config.security())));
    s.append(
        metricsPort < 0
            ? String.format("  metrics   off%n")
            : String.format(
                "  metrics   http://%s:%d/metrics%n", config.metricsHost(), metricsPort));
    for (ModelRegistry.ModelStatus status : models.statuses()) {
      ModelManifest m = status.manifest();
      s.append(
          String.format(
              "  model     %s %s%s on %s: %s, dim %d, image %s %s %s, context %d tokens %s, %s%n",
              m.name(),
              m.version(),
              m.name().equals(models.defaultName()) ? " (default)" : "",
              status.device(),
              m.family(),
              m.embeddingDim(),
              image(m.image().preprocess().geometry()),
              m.image().precision(),
              m.image().preprocessMode().name().toLowerCase(Locale.ROOT),
              m.text().contextLength(),
              m.text().precision(),
              scoring(m.scoring())));
    }
    for (ServedModel served : models.served()) {
      BatchingPolicy p = served.images().policy();
      s.append(
          String.format(
              "  batching  %s: up to %d items per call after at most %d us (wait: %s), preferred"
                  + " %s, %d queued items, %d workers per encoder%n",
              served.manifest().name(),
              p.maxBatchSize(),
              p.maxQueueDelay().toNanos() / 1_000,
              p.batchWait(),
              p.preferredBatchSizes().isEmpty() ? "-" : p.preferredBatchSizes(),
              served.images().queuePolicy().maxQueueItems(),
              p.workers()));
    }
    s.append(
        String.format(
            "  preprocess %d threads, %d queued requests at most; %d Classify/Embed calls in"
                + " flight at most%n",
            threads, config.maxQueuedRequests(), threads + config.maxQueuedRequests()));
    Limits l = config.limits();
    s.append(
        String.format(
            "  limits    image %d bytes / %d pixels, %d labels of %d chars, text %d chars,"
                + " %d items per embed call, message %d bytes%n",
            l.maxImageBytes(),
            l.maxImagePixels(),
            l.maxLabels(),
            l.maxLabelChars(),
            l.maxTextChars(),
            l.maxBatchItems(),
            l.maxMessageBytes()));
    s.append(
        String.format(
            "  labels    cache %d MiB, label sets %s (at most %d sets of %d labels)%n",
            config.labels().cacheBytes() >> 20,
            config.labels().setDir().map(d -> "kept in " + d).orElse("in memory only"),
            config.labels().limits().maxSets(),
            config.labels().limits().maxLabels()));
    s.append(String.format("  shutdown  %d s grace", config.shutdownGrace().toSeconds()));
    return s.toString();
  }

  /** Whether TLS, client certificates and the token are on; never the token itself. */
  static String security(SecuritySettings security) {
    String tls =
        !security.tls()
            ? "plaintext (no TLS)"
            : security.mutualTls() ? "TLS with client certificates (mTLS)" : "TLS";
    String auth = security.tokenRequired() ? "bearer token required" : "no token required";
    String probes =
        security.healthPort() < 0 ? "" : ", plaintext health port " + security.healthPort();
    return tls + ", " + auth + " for zeroshot.v1 (health and reflection open)" + probes;
  }

  /** "224px", "224px squashed" (no crop: SigLIP) or "<=256 patches of 16px" (NaFlex). */
  private static String image(Geometry geometry) {
    if (geometry instanceof Geometry.Patches p) {
      return "<=" + p.maxPatches() + " patches of " + p.patchSize() + "px";
    }
    return geometry.inputSize() + "px" + (geometry instanceof Geometry.Squash ? " squashed" : "");
  }

  /** "softmax, logit scale 100.00" or "sigmoid, logit scale 10.00, bias -1.50". */
  private static String scoring(Scoring scoring) {
    String s = String.format("%s, logit scale %.2f", scoring.kind(), scoring.logitScale());
    return scoring.kind() == Scoring.Kind.SIGMOID
        ? s + String.format(", bias %.2f", scoring.logitBias())
        : s;
  }
}
