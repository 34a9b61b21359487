package zeroshot.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import zeroshot.server.model.EmbeddingModel;
import zeroshot.server.model.ModelExecutionException;
import zeroshot.server.model.ModelManifest;
import zeroshot.server.model.Vectors;

/**
 * A deterministic stand-in for a CLIP model: a text's vector is derived from its characters, an
 * image's from its pixels. Tests can hold calls at a gate, count them, or make them fail.
 */
public final class FakeEmbeddingModel implements EmbeddingModel {
  private final ModelManifest manifest;
  private final AtomicInteger imageCalls = new AtomicInteger();
  private final AtomicInteger textCalls = new AtomicInteger();
  private final List<String> embeddedTexts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile boolean failing;
  private volatile boolean closed;
  private final String device;

  public FakeEmbeddingModel(ModelManifest manifest) {
    this(manifest, "cpu()");
  }

  /** A fake that says it runs on {@code device}, e.g. {@code gpu(1)} for replica tests. */
  public FakeEmbeddingModel(ModelManifest manifest, String device) {
    this.manifest = manifest;
    this.device = device;
  }

  public boolean closed() {
    return closed;
  }

  /** From now on, calls wait until {@link #open()}; returns a latch counting calls that wait. */
  public CountDownLatch closeGate(int expectedWaiters) {
    entered = new CountDownLatch(expectedWaiters);
    gate = new CountDownLatch(1);
    return entered;
  }

  public void open() {
    gate.countDown();
  }

  public void failing(boolean fail) {
    failing = fail;
  }

  public int imageCalls() {
    return imageCalls.get();
  }

  public int textCalls() {
    return textCalls.get();
  }

  /** Every text that reached the model, in order. */
  public List<String> embeddedTexts() {
    return List.copyOf(embeddedTexts);
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public float[][] embedImages(List<float[]> pixels) {
    imageCalls.incrementAndGet();
    pass();
    List<float[]> out = new ArrayList<>();
    for (float[] p : pixels) {
      float[] v = new float[manifest.embeddingDim()];
      for (int i = 0; i < p.length; i++) {
        v[i % v.length] += p[i];
      }
      out.add(Vectors.normalize(v));
    }
    return out.toArray(new float[0][]);
  }

  @Override
  public float[][] embedTexts(List<String> texts) {
    textCalls.incrementAndGet();
    pass();
    embeddedTexts.addAll(texts);
    List<float[]> out = new ArrayList<>();
    for (String t : texts) {
      float[] v = new float[manifest.embeddingDim()];
      for (int i = 0; i < t.length(); i++) {
        v[(t.charAt(i) * 31 + i) % v.length] += 1;
      }
      out.add(Vectors.normalize(v));
    }
    return out.toArray(new float[0][]);
  }

  @Override
  public long[][] tokenize(List<String> texts) {
    throw new UnsupportedOperationException("the fake has no tokenizer");
  }

  private void pass() {
    entered.countDown();
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failing) {
      throw new ModelExecutionException("simulated native failure in the fake model");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
