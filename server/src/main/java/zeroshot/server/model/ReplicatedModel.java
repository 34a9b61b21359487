package zeroshot.server.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One model loaded on several devices (one replica per GPU), seen as one model: each batch runs on
 * the replica with the fewest batches in flight, so the batcher's workers spread over the devices.
 *
 * <p>Label vectors are kept on the first replica's device: scoring is one small matrix product per
 * image, far cheaper than encoding it, and one copy saves memory on the others. Every replica must
 * come from the same manifest.
 */
public final class ReplicatedModel implements EmbeddingModel {
  private final List<EmbeddingModel> replicas;
  private final AtomicInteger[] inFlight;
  private final AtomicInteger next = new AtomicInteger();

  public ReplicatedModel(List<EmbeddingModel> replicas) {
    if (replicas.size() < 2) {
      throw new IllegalArgumentException(
          "replicas: " + replicas.size() + " (expected: at least 2; serve one model directly)");
    }
    ModelManifest first = replicas.get(0).manifest();
    for (EmbeddingModel r : replicas) {
      if (!r.manifest().equals(first)) {
        throw new IllegalArgumentException(
            "replica on "
                + r.device()
                + " serves "
                + r.manifest().directory()
                + " (expected: every replica from "
                + first.directory()
                + ")");
      }
    }
    this.replicas = List.copyOf(replicas);
    this.inFlight = new AtomicInteger[replicas.size()];
    for (int i = 0; i < inFlight.length; i++) {
      inFlight[i] = new AtomicInteger();
    }
  }

  @Override
  public ModelManifest manifest() {
    return replicas.get(0).manifest();
  }

  /** The replicas' devices joined by commas, e.g. {@code gpu(0),gpu(1)}. */
  @Override
  public String device() {
    List<String> devices = new ArrayList<>();
    for (EmbeddingModel r : replicas) {
      devices.add(r.device());
    }
    return String.join(",", devices);
  }

  public List<EmbeddingModel> replicas() {
    return replicas;
  }

  @Override
  public float[][] embedImages(List<float[]> pixels) {
    return onLeastBusy(r -> r.embedImages(pixels));
  }

  @Override
  public float[][] embedTexts(List<String> texts) {
    return onLeastBusy(r -> r.embedTexts(texts));
  }

  /**
   * Runs {@code call} on the replica with the fewest calls in flight; ties go round-robin from a
   * rotating start, so that a lone caller still uses every device in turn.
   */
  private float[][] onLeastBusy(Function<EmbeddingModel, float[][]> call) {
    int n = replicas.size();
    int start = Math.floorMod(next.getAndIncrement(), n);
    int best = start;
    for (int k = 1; k < n; k++) {
      int i = (start + k) % n;
      if (inFlight[i].get() < inFlight[best].get()) {
        best = i;
      }
    }
    inFlight[best].incrementAndGet();
    try {
      return call.apply(replicas.get(best));
    } finally {
      inFlight[best].decrementAndGet();
    }
  }

  @Override
  public LabelVectors keep(float[][] vectors) {
    return replicas.get(0).keep(vectors);
  }

  @Override
  public void warmUp(int maxBatchSize) throws InvalidModelException {
    for (EmbeddingModel r : replicas) {
      r.warmUp(maxBatchSize);
    }
  }

  @Override
  public long[][] tokenize(List<String> texts) {
    return replicas.get(0).tokenize(texts);
  }

  @Override
  public List<String> unknownWords(String text) {
    return replicas.get(0).unknownWords(text);
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (EmbeddingModel r : replicas) {
      try {
        r.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
