package zeroshot.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import zeroshot.server.labels.LabelSetLimits;

/**
 * The label-embedding cache and named label sets.
 *
 * @param cacheBytes bound on the label-embedding cache, estimated bytes
 * @param setDir where label sets are kept across restarts; empty = memory only
 * @param limits what a label set may hold
 */
public record LabelSettings(long cacheBytes, Optional<Path> setDir, LabelSetLimits limits) {
  public static final long DEFAULT_CACHE_BYTES = 256L << 20;

  public LabelSettings {
    requireNonNull(setDir, "setDir");
    requireNonNull(limits, "limits");
    Limits.positive("cacheBytes", cacheBytes);
  }

  public static LabelSettings defaults(int maxLabelChars) {
    return new LabelSettings(
        DEFAULT_CACHE_BYTES, Optional.empty(), LabelSetLimits.defaults(maxLabelChars));
  }
}
