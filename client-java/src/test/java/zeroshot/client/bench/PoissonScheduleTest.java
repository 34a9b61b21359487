package zeroshot.client.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PoissonScheduleTest {

  private static final int ARRIVALS = 100_000;

  @Test
  void firstArrivalIsAtTheStart() {
    assertThat(new PoissonSchedule(10, 123, new Random(1)).next()).isEqualTo(123);
  }

  @Test
  void meanGapIsOneOverTheRate() {
    PoissonSchedule schedule = new PoissonSchedule(1000, 0, new Random(7));
    long first = schedule.next();
    long last = first;
    for (int i = 0; i < ARRIVALS; i++) {
      last = schedule.next();
    }

    double meanGapMs = (last - first) / 1e6 / ARRIVALS;

    // Exponential gaps: the mean of 100,000 has a standard error of 0.3 %; allow 2 %.
    assertThat(meanGapMs).isBetween(0.98, 1.02);
  }

  @Test
  void gapsAreExponentialNotEven() {
    PoissonSchedule schedule = new PoissonSchedule(1000, 0, new Random(7));
    long previous = schedule.next();
    int longerThanMean = 0;
    int shorterThanTenthOfMean = 0;
    for (int i = 0; i < ARRIVALS; i++) {
      long next = schedule.next();
      long gap = next - previous;
      previous = next;
      longerThanMean += gap > 1_000_000 ? 1 : 0;
      shorterThanTenthOfMean += gap < 100_000 ? 1 : 0;
    }

    // P(gap > mean) = e^-1 = 0.368; P(gap < mean / 10) = 1 - e^-0.1 = 0.095.
    assertThat(longerThanMean / (double) ARRIVALS).isBetween(0.358, 0.378);
    assertThat(shorterThanTenthOfMean / (double) ARRIVALS).isBetween(0.088, 0.102);
  }

  @Test
  void theSameSeedGivesTheSameSchedule() {
    PoissonSchedule a = new PoissonSchedule(250, 0, new Random(42));
    PoissonSchedule b = new PoissonSchedule(250, 0, new Random(42));
    PoissonSchedule c = new PoissonSchedule(250, 0, new Random(43));
    boolean differs = false;
    for (int i = 0; i < 1000; i++) {
      long next = a.next();
      assertThat(b.next()).isEqualTo(next);
      differs |= c.next() != next;
    }
    assertThat(differs).isTrue();
  }

  @Test
  void rejectsARateThatIsNotPositive() {
    assertThatThrownBy(() -> new PoissonSchedule(0, 0, new Random()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ratePerSecond: 0.0 (expected: > 0 and finite)");
  }
}
