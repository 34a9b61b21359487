package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void rendersTheBarTheCountsAndTheRate() {
    long elapsed = TimeUnit.MILLISECONDS.toNanos(2226);

    assertThat(ProgressBar.render(512, 1000, elapsed))
        .isEqualTo("[===============>              ] 512/1000 images, 230/s");
    assertThat(ProgressBar.render(3, 3, 0))
        .isEqualTo("[==============================] 3/3 images, 0/s");
    assertThat(ProgressBar.render(0, 0, 0))
        .isEqualTo("[==============================] 0/0 images, 0/s");
  }

  @Test
  void redrawsAtMostEvery200MillisecondsAndAlwaysTheLastItem() {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    StringWriter err = new StringWriter();
    ProgressBar progress = new ProgressBar(new PrintWriter(err), 4, clock::get);

    progress.advance(); // drawn: the first
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    progress.advance(); // not drawn: 100 ms after the last
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    progress.advance(); // drawn: 200 ms after the last
    progress.advance(); // drawn: the last item

    assertThat(err.toString().split("\r"))
        .containsExactly(
            "",
            ProgressBar.render(1, 4, 0),
            ProgressBar.render(3, 4, 200_000_000L),
            ProgressBar.render(4, 4, 200_000_000L));
  }

  @Test
  void finishAfterTheLastItemEndsTheLineWithoutDrawingTheBarTwice() {
    StringWriter err = new StringWriter();
    ProgressBar progress = new ProgressBar(new PrintWriter(err), 2, () -> 0L);

    progress.advance();
    progress.advance();
    progress.finish();

    assertThat(err.toString())
        .isEqualTo(
            "\r"
                + ProgressBar.render(1, 2, 0)
                + "\r"
                + ProgressBar.render(2, 2, 0)
                + System.lineSeparator());
  }

  @Test
  void finishDrawsTheCountTheBarDoesNotShowYet() {
    AtomicLong clock = new AtomicLong();
    StringWriter err = new StringWriter();
    ProgressBar progress = new ProgressBar(new PrintWriter(err), 3, clock::get);

    progress.advance(); // drawn
    progress.advance(); // not drawn: no time has passed
    progress.finish(); // e.g. the stream failed before the third item

    assertThat(err.toString())
        .isEqualTo(
            "\r"
                + ProgressBar.render(1, 3, 0)
                + "\r"
                + ProgressBar.render(2, 3, 0)
                + System.lineSeparator());
  }
}
