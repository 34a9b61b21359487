package zeroshot.server.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.image.ImageDecoder;
import zeroshot.server.model.image.ImagePreprocessor;
import zeroshot.server.model.image.InvalidImageException;

/**
 * The in-process limit of the image pipeline: decode + preprocess + image encoder in batches, on a
 * number of threads, with no gRPC, queue or batcher in between. What a server could serve at best
 * on the same machine; the served throughput is reported as a fraction of it.
 */
public final class InProcessPipeline {

  private final EmbeddingModel model;
  private final List<byte[]> images;
  private final ImageDecoder decoder = new ImageDecoder(40_000_000);
  private final ImagePreprocessor preprocessor;

  /** A pipeline over {@code model} that cycles through the encoded {@code images}. */
  public InProcessPipeline(EmbeddingModel model, List<byte[]> images) {
    this.model = requireNonNull(model, "model");
    this.images = List.copyOf(images);
    if (this.images.isEmpty()) {
      throw new IllegalArgumentException("images: none (expected: at least one)");
    }
    this.preprocessor = new ImagePreprocessor(model.manifest().image().preprocess());
  }

  /**
   * Runs batches of {@code batch} images on {@code threads} threads: {@code warmup} unmeasured,
   * then {@code duration} measured. Returns images per second.
   */
  public double imagesPerSecond(int batch, int threads, Duration warmup, Duration duration)
      throws InterruptedException {
    if (batch < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "batch " + batch + ", threads " + threads + " (expected: both >= 1)");
    }
    AtomicLong done = new AtomicLong();
    AtomicBoolean counting = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t; // threads start at different images
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (long i = first; !stop.get(); ) {
                    List<float[]> tensors = new ArrayList<>(batch);
                    for (int b = 0; b < batch; b++) {
                      tensors.add(tensor(images.get((int) (i++ % images.size()))));
                    }
                    model.embedImages(tensors);
                    if (counting.get()) {
                      done.addAndGet(batch);
                    }
                  }
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                }
              },
              "in-process-" + t);
      workers.add(worker);
      worker.start();
    }
    Thread.sleep(warmup.toMillis());
    counting.set(true);
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    double rate = done.get() / ((System.nanoTime() - start) / 1e9);
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return rate;
  }

  /** The first {@code batch} images (cycled), decoded and preprocessed: one encoder batch. */
  public List<float[]> tensors(int batch) {
    return tensors(0, batch);
  }

  /**
   * The {@code batch} images from index {@code first} on (cycled, so any {@code first} is one of
   * them), decoded and preprocessed: one encoder batch.
   */
  public List<float[]> tensors(long first, int batch) {
    List<float[]> tensors = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      tensors.add(tensor(images.get((int) Math.floorMod(first + i, (long) images.size()))));
    }
    return tensors;
  }

  private float[] tensor(byte[] encoded) {
    try {
      return preprocessor.toTensor(decoder.decode(encoded));
    } catch (InvalidImageException e) {
      throw new IllegalArgumentException("image: " + e.getMessage() + " (expected: decodable)", e);
    }
  }
}
