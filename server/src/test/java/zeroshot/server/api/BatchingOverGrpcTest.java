package zeroshot.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.common.util.concurrent.ListenableFuture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import zeroshot.server.config.Limits;
import zeroshot.server.config.ModelOption;
import zeroshot.server.config.ModelSettings;
import zeroshot.server.model.TestModels;
import zeroshot.server.model.torchscript.TorchScriptClipModel;
import zeroshot.server.testing.BatchStats;
import zeroshot.server.testing.CountingLoader;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.ClassifyResponse;

/** Many concurrent callers on the real tiny model share batches and get the right answers. */
class BatchingOverGrpcTest {
  private static final List<String> LABELS =
      List.of("red star", "purple circle", "blue diamond", "green crescent", "sneaker", "bag");

  @Test
  void sixtyFourConcurrentCallersGetCorrectAnswersFromSharedBatches() throws Exception {
    ModelSettings batching =
        ModelSettings.NONE
            .with(ModelOption.MAX_BATCH_SIZE, 32)
            .with(ModelOption.MAX_QUEUE_DELAY, Duration.ofMillis(20))
            .with(ModelOption.PREFERRED_BATCH_SIZES, List.of())
            .with(ModelOption.MAX_QUEUE_ITEMS, 4_096)
            .with(ModelOption.BATCH_WORKERS, 1);
    CountingLoader counting = new CountingLoader(TorchScriptClipModel::load);
    try (RunningServer running =
        RunningServer.ready(
            RunningServer.config(
                List.of(TestModels.tinyClip()),
                2,
                256,
                Limits.defaults(),
                Duration.ofSeconds(5),
                batching),
            counting)) {
      List<ClassifyRequest> requests = new ArrayList<>();
      try (Stream<Path> files = Files.list(TestModels.tinyClip().resolve("samples"))) {
        for (Path f :
            files
                .filter(p -> !p.toString().endsWith(".csv") && !p.toString().endsWith(".json"))
                .sorted()
                .limit(64)
                .toList()) {
          requests.add(
              TinyClipOverGrpcTest.request(Files.readAllBytes(f), LABELS, "a photo of a {}", 0));
        }
      }
      assertThat(requests).hasSize(64);
      List<ClassifyResponse> alone = new ArrayList<>();
      for (ClassifyRequest r : requests) {
        alone.add(running.blocking().classify(r)); // one at a time: batches of one
      }
      BatchStats images = counting.imageStats();
      long batchesBefore = images.batches();

      List<ListenableFuture<ClassifyResponse>> together = new ArrayList<>();
      for (ClassifyRequest r : requests) {
        together.add(running.future().classify(r));
      }

      for (int i = 0; i < requests.size(); i++) {
        ClassifyResponse batched = together.get(i).get(30, TimeUnit.SECONDS);
        assertThat(batched.getScores(0).getLabel()).isEqualTo(alone.get(i).getScores(0).getLabel());
        for (int j = 0; j < LABELS.size(); j++) {
          assertThat(batched.getScores(j).getCosine())
              .isCloseTo(alone.get(i).getScores(j).getCosine(), within(1e-4f));
        }
      }
      long batches = images.batches() - batchesBefore;
      System.out.printf(
          "64 concurrent callers: %d image batches, largest %d%n", batches, images.largestBatch());
      assertThat(images.largestBatch()).isGreaterThan(1);
      assertThat(batches).isLessThan(64);
    }
  }
}
