package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One tokenizer shared by several threads, as the server shares it, gives every thread the ids it
 * gives one thread alone (DJL's SentencePiece binding keeps no per-call state).
 */
class SentencePieceConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 50;

  @Test
  void concurrentCallsGiveTheSameIdsAsOneThread() throws Exception {
    List<String> texts = SiglipCases.gemma().stream().map(SiglipCases.Case::text).toList();
    try (TextTokenizer siglip =
            TextTokenizer.load(
                "siglip-test",
                SiglipCases.spec(SiglipCases.siglipModel(), TokenizerType.SIGLIP, 1, false));
        TextTokenizer gemma =
            TextTokenizer.load(
                "siglip2-test",
                SiglipCases.spec(SiglipCases.gemmaModel(), TokenizerType.GEMMA, 0, true))) {
      for (TextTokenizer tokenizer : List.of(siglip, gemma)) {
        long[][] expected = tokenizer.tokenize(texts).ids();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
          List<Future<long[][]>> results = new ArrayList<>();
          for (int i = 0; i < THREADS * ROUNDS; i++) {
            results.add(pool.submit(() -> tokenizer.tokenize(texts).ids()));
          }
          for (Future<long[][]> result : results) {
            assertThat(result.get()).isDeepEqualTo(expected);
          }
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }
}
