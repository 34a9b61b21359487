package zeroshot.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zeroshot.server.batching.BatchingPolicy;
import zeroshot.server.batching.QueuePolicy;
import zeroshot.server.batching.TimeSource;
import zeroshot.server.testing.FakeEmbeddingModel;

class ReplicatedModelTest {
  private final ModelManifest manifest = manifest();
  private final FakeEmbeddingModel gpu0 = new FakeEmbeddingModel(manifest, "gpu(0)");
  private final FakeEmbeddingModel gpu1 = new FakeEmbeddingModel(manifest, "gpu(1)");
  private final ReplicatedModel model = new ReplicatedModel(List.of(gpu0, gpu1));

  @Test
  void concurrentBatchesRunOnDifferentReplicas() throws Exception {
    CountDownLatch on0 = gpu0.closeGate(1);
    CountDownLatch on1 = gpu1.closeGate(1);
    CompletableFuture<float[][]> a = CompletableFuture.supplyAsync(() -> model.embedImages(one()));
    CompletableFuture<float[][]> b = CompletableFuture.supplyAsync(() -> model.embedImages(one()));

    assertThat(on0.await(10, TimeUnit.SECONDS)).as("a call reached gpu(0)").isTrue();
    assertThat(on1.await(10, TimeUnit.SECONDS)).as("a call reached gpu(1)").isTrue();
    gpu0.open();
    gpu1.open();
    assertThat(a.get(10, TimeUnit.SECONDS)).hasNumberOfRows(1);
    assertThat(b.get(10, TimeUnit.SECONDS)).hasNumberOfRows(1);
  }

  @Test
  void aLoneCallerUsesEveryReplicaInTurn() {
    for (int i = 0; i < 4; i++) {
      model.embedImages(one());
      model.embedTexts(List.of("a cat"));
    }

    assertThat(gpu0.imageCalls() + gpu0.textCalls()).isEqualTo(4);
    assertThat(gpu1.imageCalls() + gpu1.textCalls()).isEqualTo(4);
  }

  @Test
  void givesTheSameAnswerWhicheverReplicaRuns() {
    float[][] first = model.embedTexts(List.of("a red star"));
    float[][] second = model.embedTexts(List.of("a red star"));

    assertThat(second[0]).containsExactly(first[0]);
    assertThat(gpu0.embeddedTexts()).hasSize(1);
    assertThat(gpu1.embeddedTexts()).hasSize(1);
  }

  @Test
  void batcherWorkersSpreadOverReplicas() throws Exception {
    BatchingPolicy perDevice = BatchingPolicy.of(4, Duration.ZERO);
    ServedModel served =
        ServedModel.of(
            model, perDevice.withWorkersPerReplica(2), new QueuePolicy(100), TimeSource.SYSTEM);
    assertThat(served.images().policy().workers()).isEqualTo(2);
    CountDownLatch on0 = gpu0.closeGate(1);
    CountDownLatch on1 = gpu1.closeGate(1);
    served.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      CompletableFuture<List<float[]>> first = served.images().submit(List.of(pixels()), deadline);
      // The first batch must be running (held at a replica's gate) before the second item
      // arrives, or one worker could take both items as one batch.
      while (on0.getCount() + on1.getCount() == 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(on0.getCount() + on1.getCount()).as("first batch started").isEqualTo(1);
      CompletableFuture<List<float[]>> second = served.images().submit(List.of(pixels()), deadline);

      assertThat(on0.await(10, TimeUnit.SECONDS)).as("a batch ran on gpu(0)").isTrue();
      assertThat(on1.await(10, TimeUnit.SECONDS)).as("a batch ran on gpu(1)").isTrue();
      gpu0.open();
      gpu1.open();
      assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(1);
      assertThat(second.get(10, TimeUnit.SECONDS)).hasSize(1);
    } finally {
      served.shutdown();
    }
  }

  @Test
  void labelVectorsAndTokensComeFromTheFirstReplica() {
    assertThat(model.device()).isEqualTo("gpu(0),gpu(1)");
    assertThat(model.manifest()).isSameAs(manifest);
    assertThat(model.keep(new float[][] {{1, 0}}).size()).isEqualTo(1);
  }

  @Test
  void closesEveryReplica() {
    model.close();

    assertThat(gpu0.closed()).isTrue();
    assertThat(gpu1.closed()).isTrue();
  }

  @Test
  void refusesReplicasOfDifferentModelsOrASingleOne(@TempDir Path dir) throws Exception {
    ModelManifest other = ManifestReader.read(TestModels.copyOfTinyClip(dir));
    assertThatThrownBy(
            () -> new ReplicatedModel(List.of(gpu0, new FakeEmbeddingModel(other, "gpu(1)"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: every replica from");
    assertThatThrownBy(() -> new ReplicatedModel(List.of(gpu0)))
        .hasMessageContaining("replicas: 1 (expected: at least 2");
  }

  private List<float[]> one() {
    return List.of(pixels());
  }

  private float[] pixels() {
    int s = manifest.image().inputSize();
    return new float[3 * s * s];
  }

  private static ModelManifest manifest() {
    try {
      return ManifestReader.read(TestModels.tinyClip());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
