package zeroshot.server.labels;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zeroshot.server.model.ModelRegistry;
import zeroshot.server.model.ServedModel;

/**
 * Named label sets, per model. Putting a set encodes every prompt of every label through the
 * embedding cache (misses go through the text batcher), averages each label's prompts into one
 * vector, and keeps the matrix; when a {@link LabelSetFiles} directory is configured the definition
 * is also written there, durably before the put completes, and read again at start.
 *
 * <p>Puts and deletes change the files and the map under one lock, so that the disk and memory
 * always hold what the same order of the changes gives: concurrent puts of one name end with one of
 * the versions in both, and a put racing a delete ends as one of the two orders would. A write to
 * disk waits for the disk (milliseconds per put, see docs/benchmarks.md), so it runs on a writer
 * thread of its own rather than on the text batcher's thread that finished the encoding.
 */
public final class LabelSetStore {
  private static final Logger log = LoggerFactory.getLogger(LabelSetStore.class);
  private final LabelSetLimits limits;
  private final LabelEmbeddingCache cache;
  private final LabelSetFiles files;
  private final Map<Key, EncodedLabelSet> sets = new ConcurrentHashMap<>();
  private final Executor writer;

  private record Key(String model, String name) {}

  /** The outcome of a put. */
  public record Stored(EncodedLabelSet set, boolean replaced) {}

  public LabelSetStore(LabelSetLimits limits, LabelEmbeddingCache cache, LabelSetFiles files) {
    this.limits = requireNonNull(limits, "limits");
    this.cache = requireNonNull(cache, "cache");
    this.files = requireNonNull(files, "files");
    this.writer = files.persistent() ? writerThread() : Runnable::run;
  }

  /** One thread, started on the first write and ended after a minute without one. */
  private static Executor writerThread() {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "label-set-writer");
              t.setDaemon(true); // an unfinished write is one that was never acknowledged
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /**
   * Validates, encodes and stores {@code definition} (whose model is {@code served}).
   *
   * @param deadline {@code System.nanoTime()} by which the encoding must start
   */
  public CompletableFuture<Stored> put(
      ServedModel served, LabelSetDefinition definition, long deadline) {
    return encode(served, definition, deadline).thenApplyAsync(set -> keep(set, true), writer);
  }

  private CompletableFuture<EncodedLabelSet> encode(
      ServedModel served, LabelSetDefinition definition, long deadline) {
    limits.check(definition);
    checkRoom(new Key(definition.model(), definition.name()));
    List<List<String>> perLabel = new ArrayList<>();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (LabelSetDefinition.Entry e : definition.labels()) {
      List<String> prompts = definition.prompts(e);
      perLabel.add(prompts);
      prompts.forEach(p -> index.putIfAbsent(p, index.size()));
    }
    return cache
        .embed(served, List.copyOf(index.keySet()), deadline)
        .thenApply(
            vectors -> {
              float[][] matrix = new float[perLabel.size()][];
              for (int i = 0; i < matrix.length; i++) {
                matrix[i] =
                    Ensembles.mean(
                        perLabel.get(i).stream().map(p -> vectors.get(index.get(p))).toList());
              }
              return new EncodedLabelSet(
                  definition,
                  served.manifest().version(),
                  served.model().keep(matrix),
                  index.size());
            });
  }

  /**
   * Readies the label set directory ({@link LabelSetFiles#prepare}: leftover temporary files
   * removed) and keeps every set stored there again, encoded by the models now loaded, without
   * writing it; a set of a model that is not loaded is skipped with a warning.
   *
   * @throws IOException if the directory cannot be prepared or a file in it read (naming it), or
   *     naming the set, its model and the directory if a set cannot be put
   */
  public void restore(ModelRegistry models) throws IOException {
    files.prepare();
    for (LabelSetDefinition d : files.readAll()) {
      if (!models.manifests().stream().anyMatch(m -> m.name().equals(d.model()))) {
        log.warn("label set {} is for model {}, which is not loaded: skipped", d.name(), d.model());
        continue;
      }
      try {
        // Kept, not written: the file is already there and durable.
        encode(models.require(d.model()), d, Long.MAX_VALUE).thenApply(s -> keep(s, false)).join();
      } catch (Exception e) {
        throw new IOException(
            "label set "
                + d.name()
                + " of model "
                + d.model()
                + " in "
                + files
                + ": "
                + e.getMessage(),
            e);
      }
    }
    log.info("{} label sets loaded from {}", size(), files);
  }

  /** Keeps {@code set}, writing it first when {@code write}; frees its vectors if that fails. */
  private synchronized Stored keep(EncodedLabelSet set, boolean write) {
    Key key = new Key(set.definition().model(), set.definition().name());
    try {
      checkRoom(key);
      if (write) {
        files.write(set.definition());
      }
    } catch (RuntimeException e) {
      set.vectors().close();
      throw e;
    }
    EncodedLabelSet old = sets.put(key, set);
    if (old != null) {
      old.vectors().close(); // freed once calls scoring against it are done
    }
    return new Stored(set, old != null);
  }

  private void checkRoom(Key key) {
    if (!sets.containsKey(key) && sets.size() >= limits.maxSets()) {
      throw new LabelSetLimitException(limits.maxSets());
    }
  }

  public EncodedLabelSet require(String model, String name) throws UnknownLabelSetException {
    EncodedLabelSet set = sets.get(new Key(model, name));
    if (set == null) {
      throw new UnknownLabelSetException(model, name, names(model));
    }
    return set;
  }

  public Optional<EncodedLabelSet> get(String model, String name) {
    return Optional.ofNullable(sets.get(new Key(model, name)));
  }

  /** The sets of {@code model}, or of every model when it is null, by model then name. */
  public List<EncodedLabelSet> list(String model) {
    return sets.entrySet().stream()
        .filter(e -> model == null || e.getKey().model().equals(model))
        .sorted(
            Comparator.comparing((Map.Entry<Key, EncodedLabelSet> e) -> e.getKey().model())
                .thenComparing(e -> e.getKey().name()))
        .map(Map.Entry::getValue)
        .toList();
  }

  public synchronized void delete(String model, String name) throws UnknownLabelSetException {
    require(model, name);
    files.delete(model, name);
    sets.remove(new Key(model, name)).vectors().close();
  }

  public int size() {
    return sets.size();
  }

  private List<String> names(String model) {
    return list(model).stream().map(s -> s.definition().name()).toList();
  }
}
