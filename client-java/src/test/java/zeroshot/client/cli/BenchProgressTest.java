package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BenchProgressTest {

  @Test
  void rendersThePhaseTheBarAndTheCounts() {
    assertThat(BenchProgress.render("concurrency 8", false, 0.5, 1234, 2))
        .isEqualTo("concurrency 8 [===============>              ] measuring, 1234 ok, 2 errors");
    assertThat(BenchProgress.render("rate 100/s", true, 0, 0, 0))
        .isEqualTo("rate 100/s [>                             ] warming up, 0 ok, 0 errors");
    assertThat(BenchProgress.render("rate 100/s", false, 1, 5, 0))
        .isEqualTo("rate 100/s [==============================] measuring, 5 ok, 0 errors");
  }

  @Test
  void redrawsInPlaceAndEndsTheLineWhenFinished() {
    StringWriter err = new StringWriter();
    BenchProgress progress = new BenchProgress(new PrintWriter(err), "concurrency 1");

    progress.update(true, 0.5, 0, 0);
    progress.update(false, 1, 10, 0);
    progress.finish();

    assertThat(err.toString())
        .startsWith("\rconcurrency 1 [")
        .contains("\rconcurrency 1 [==============================] measuring, 10 ok")
        .endsWith("0 errors" + System.lineSeparator());
    assertThat(err.toString().split("10 ok", -1)).hasSize(2); // the last line drawn once
  }
}
