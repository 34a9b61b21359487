package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's figures as the difference of two canned /metrics scrapes. */
class ServerFiguresTest {

  private static List<PrometheusText.Sample> scrape(
      long tinyBatches, long tinyItems, double tinyWaitSeconds, long textBatches, long bigBatches) {
    String text =
        String.format(
            java.util.Locale.ROOT,
            """
            # TYPE zeroshot_batch_size_items histogram
            zeroshot_batch_size_items_bucket{encoder="image",model="tiny-clip",le="8.0"} %1$d
            zeroshot_batch_size_items_count{encoder="image",model="tiny-clip"} %1$d
            zeroshot_batch_size_items_sum{encoder="image",model="tiny-clip"} %2$d
            zeroshot_batch_size_items_count{encoder="text",model="tiny-clip"} %4$d
            zeroshot_batch_size_items_sum{encoder="text",model="tiny-clip"} %4$d
            zeroshot_batch_size_items_count{encoder="image",model="big"} %5$d
            zeroshot_batch_size_items_sum{encoder="image",model="big"} %5$d
            # TYPE zeroshot_batch_queue_wait_seconds histogram
            zeroshot_batch_queue_wait_seconds_count{encoder="image",model="tiny-clip"} %1$d
            zeroshot_batch_queue_wait_seconds_sum{encoder="image",model="tiny-clip"} %3$f
            zeroshot_batch_queue_wait_seconds_count{encoder="text",model="tiny-clip"} %4$d
            zeroshot_batch_queue_wait_seconds_sum{encoder="text",model="tiny-clip"} 99.0
            # TYPE zeroshot_batch_inference_seconds histogram
            zeroshot_batch_inference_seconds_count{encoder="image",model="tiny-clip"} %1$d
            zeroshot_batch_inference_seconds_sum{encoder="image",model="tiny-clip"} %6$f
            zeroshot_batch_inference_seconds_count{encoder="text",model="tiny-clip"} %4$d
            zeroshot_batch_inference_seconds_sum{encoder="text",model="tiny-clip"} 42.0
            """,
            tinyBatches,
            tinyItems,
            tinyWaitSeconds,
            textBatches,
            bigBatches,
            tinyBatches * 0.003); // every image batch takes 3 ms
    return PrometheusText.parse(text);
  }

  @Test
  void imageBatchesOfOneModelBetweenTwoScrapes() {
    List<PrometheusText.Sample> before = scrape(100, 500, 0.2, 7, 3);
    List<PrometheusText.Sample> after = scrape(350, 2_500, 0.7, 9, 3);

    ServerFigures figures = ServerFigures.between(before, after, "tiny-clip");

    assertThat(figures.batches()).isEqualTo(250);
    assertThat(figures.items()).isEqualTo(2_000);
    assertThat(figures.meanBatchSize()).isEqualTo(8.0);
    assertThat(figures.meanQueueWaitMs()).isEqualTo(2.0); // 0.5 s over 250 batches
    assertThat(figures.meanBatchMs()).isEqualTo(3.0);
  }

  @Test
  void everyModelWhenNoneIsNamed() {
    ServerFigures figures =
        ServerFigures.between(scrape(0, 0, 0, 0, 10), scrape(10, 40, 0.01, 5, 20), null);

    assertThat(figures.batches()).isEqualTo(20); // 10 tiny-clip + 10 big; text not counted
    assertThat(figures.items()).isEqualTo(50);
    assertThat(figures.meanBatchSize()).isEqualTo(2.5);
  }

  @Test
  void noBatchesGiveZeroMeans() {
    ServerFigures figures =
        ServerFigures.between(scrape(5, 5, 0.1, 0, 0), scrape(5, 5, 0.1, 0, 0), "tiny-clip");

    assertThat(figures).isEqualTo(new ServerFigures(0, 0, 0, 0, 0));
  }
}
