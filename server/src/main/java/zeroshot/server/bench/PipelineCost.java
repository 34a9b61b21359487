package zeroshot.server.bench;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import zeroshot.server.model.EmbeddingModel;

/**
 * What one batch of images costs a model against a baseline model, in CPU time of the calling
 * thread: decode + preprocess + image encoder, the two models in turn on the same images, round
 * after round. On a shared 2-core VM, throughput over a few seconds swings by ±15 % from run to run
 * (docs/benchmarks.md); a thread's CPU time per batch, compared round by round, does not.
 */
public final class PipelineCost {

  /** Medians and quartiles of a model's cost per batch, in milliseconds of CPU time. */
  public record Cost(Quartiles pipelineMs, Quartiles encoderMs) {}

  /** The lower quartile, median and upper quartile of a sample. */
  public record Quartiles(double q1, double median, double q3) {
    static Quartiles of(double[] values) {
      double[] v = values.clone();
      Arrays.sort(v);
      return new Quartiles(v[v.length / 4], v[v.length / 2], v[(3 * v.length) / 4]);
    }
  }

  /**
   * The result of {@link #measure}: each model's cost, and the baseline's cost over the model's per
   * round (the model's speed as a fraction of the baseline's) for the whole pipeline and for the
   * encoder alone.
   */
  public record Result(
      Cost model, Cost baseline, Quartiles pipelineRatio, Quartiles encoderRatio, int rounds) {}

  private final EmbeddingModel model;
  private final EmbeddingModel baseline;
  private final InProcessPipeline modelPipeline;
  private final InProcessPipeline baselinePipeline;
  private final LongSupplier cpuNanos;

  /**
   * Compares {@code model} with {@code baseline} on the encoded {@code images} (cycled), timed by
   * {@code cpuNanos}: the calling thread's CPU time in nanoseconds.
   */
  public PipelineCost(
      EmbeddingModel model, EmbeddingModel baseline, List<byte[]> images, LongSupplier cpuNanos) {
    this.model = requireNonNull(model, "model");
    this.baseline = requireNonNull(baseline, "baseline");
    // Each model decodes and preprocesses the images as its manifest says.
    this.modelPipeline = new InProcessPipeline(model, images);
    this.baselinePipeline = new InProcessPipeline(baseline, images);
    this.cpuNanos = requireNonNull(cpuNanos, "cpuNanos");
  }

  /**
   * Runs {@code warmupRounds} unmeasured rounds, then {@code rounds} measured ones, of one batch of
   * {@code batch} images through each model; the baseline goes first in even rounds, the model in
   * odd ones.
   */
  public Result measure(int batch, int warmupRounds, int rounds) {
    if (batch < 1 || warmupRounds < 0 || rounds < 4) {
      throw new IllegalArgumentException(
          "batch "
              + batch
              + ", warm-up rounds "
              + warmupRounds
              + ", rounds "
              + rounds
              + " (expected: batch >= 1, warm-up >= 0, rounds >= 4)");
    }
    Side mine = new Side(model, modelPipeline, rounds);
    Side theirs = new Side(baseline, baselinePipeline, rounds);
    for (int r = -warmupRounds; r < rounds; r++) {
      long first = (long) r * batch;
      int slot = r < 0 ? -1 : r; // warm-up rounds are not recorded
      if (Math.floorMod(r, 2) == 0) {
        theirs.run(first, batch, slot);
        mine.run(first, batch, slot);
      } else {
        mine.run(first, batch, slot);
        theirs.run(first, batch, slot);
      }
    }
    double[] pipelineRatio = new double[rounds];
    double[] encoderRatio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      pipelineRatio[r] = (double) theirs.pipeline[r] / mine.pipeline[r];
      encoderRatio[r] = (double) theirs.encoder[r] / mine.encoder[r];
    }
    return new Result(
        mine.cost(),
        theirs.cost(),
        Quartiles.of(pipelineRatio),
        Quartiles.of(encoderRatio),
        rounds);
  }

  /** One model, its decoding and preprocessing, and the CPU time of each measured round. */
  private final class Side {
    final EmbeddingModel model;
    final InProcessPipeline images;
    final long[] pipeline;
    final long[] encoder;

    Side(EmbeddingModel model, InProcessPipeline images, int rounds) {
      this.model = model;
      this.images = images;
      this.pipeline = new long[rounds];
      this.encoder = new long[rounds];
    }

    /**
     * Decodes, preprocesses and encodes the {@code batch} images from {@code first} on; records its
     * CPU time in {@code slot} >= 0.
     */
    void run(long first, int batch, int slot) {
      long start = cpuNanos.getAsLong();
      List<float[]> tensors = images.tensors(first, batch);
      long decoded = cpuNanos.getAsLong();
      model.embedImages(tensors);
      long end = cpuNanos.getAsLong();
      if (slot >= 0) {
        // At least a nanosecond: a ratio of costs must not divide by zero on a coarse clock.
        pipeline[slot] = Math.max(1, end - start);
        encoder[slot] = Math.max(1, end - decoded);
      }
    }

    Cost cost() {
      return new Cost(
          Quartiles.of(Arrays.stream(pipeline).mapToDouble(n -> n / 1e6).toArray()),
          Quartiles.of(Arrays.stream(encoder).mapToDouble(n -> n / 1e6).toArray()));
    }
  }
}
