package zeroshot.server.labels;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import zeroshot.server.batching.DeadlineExpiredException;
import zeroshot.server.model.ServedModel;

/**
 * Label-prompt embeddings, computed once per (model name, model version, prompt text): a label with
 * its template applied is the prompt, so another template or another model version is another
 * entry. Misses go through the model's text batcher in one submission per call; misses that callers
 * share while in flight are computed once. Bounded by an estimate of the bytes the entries hold.
 *
 * <p>A load carries the deadline of the caller that started it into the text batcher, so its
 * prompts never reach the model once that deadline has passed; a caller that joined it with time
 * left then starts it again. A caller that gives up (cancels) does not cancel the load: other
 * callers may be waiting for it, and what it computes is cached for the next call.
 */
public final class LabelEmbeddingCache {
  /** What an entry costs beyond its vector and its prompt (key, node and array headers). */
  static final int ENTRY_OVERHEAD_BYTES = 96;

  private final AsyncCache<Key, float[]> cache;

  /** A cache key: one prompt of one model version. */
  record Key(String model, String version, String prompt) {}

  public LabelEmbeddingCache(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
    }
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .<Key, float[]>weigher(
                (key, vector) ->
                    ENTRY_OVERHEAD_BYTES + 2 * key.prompt().length() + Float.BYTES * vector.length)
            .recordStats()
            .buildAsync();
  }

  /**
   * The L2-normalised embeddings of {@code prompts}, in order, from the cache or the model.
   *
   * @param deadline {@code System.nanoTime()} after which this caller no longer needs them; the
   *     misses it starts carry it into the batcher, so they never reach the model once it has
   *     passed. A caller that joined a load started by one whose deadline passed starts it again.
   */
  public CompletableFuture<List<float[]>> embed(
      ServedModel served, List<String> prompts, long deadline) {
    String name = served.manifest().name();
    String version = served.manifest().version();
    List<Key> keys = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      keys.add(new Key(name, version, p));
    }
    return load(served, keys, deadline)
        .exceptionallyCompose(
            failure ->
                rootCause(failure) instanceof DeadlineExpiredException
                        && System.nanoTime() < deadline
                    ? load(served, keys, deadline)
                    : CompletableFuture.failedFuture(failure))
        .thenApply(found -> keys.stream().map(found::get).toList());
  }

  private CompletableFuture<Map<Key, float[]>> load(
      ServedModel served, List<Key> keys, long deadline) {
    return cache.getAll(
        keys,
        (missing, executor) -> {
          List<Key> order = List.copyOf(missing);
          List<String> texts = order.stream().map(Key::prompt).toList();
          return served
              .texts()
              .submit(texts, deadline)
              .thenApply(
                  vectors -> {
                    Map<Key, float[]> loaded = new LinkedHashMap<>();
                    for (int i = 0; i < order.size(); i++) {
                      loaded.put(order.get(i), vectors.get(i));
                    }
                    return loaded;
                  });
        });
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t != t.getCause()) {
      t = t.getCause();
    }
    return t;
  }

  /** Entries now held (approximate until pending maintenance runs). */
  public long size() {
    return cache.synchronous().estimatedSize();
  }

  /** Estimated bytes held. */
  public long weightBytes() {
    return cache.synchronous().policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  public CacheStats stats() {
    return cache.synchronous().stats();
  }

  /** Runs pending maintenance (eviction) now; for tests and metrics. */
  public void cleanUp() {
    cache.synchronous().cleanUp();
  }
}
