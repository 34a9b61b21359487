package zeroshot.server.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScorerTest {
  private static final float[] INPUT = {1, 0};
  private static final float[][] LABELS = {
    {0, 1}, {0.8f, 0.6f}, {1, 0}, {-1, 0},
  };

  @Test
  void ranksByCosineWithSoftmaxProbabilitiesOverAllLabels() {
    List<ScoredLabel> all = Scorer.topK(INPUT, LABELS, 10f, 0);

    assertThat(all).extracting(ScoredLabel::index).containsExactly(2, 1, 0, 3);
    assertThat(all).extracting(ScoredLabel::cosine).containsExactly(1f, 0.8f, 0f, -1f);
    double z = Math.exp(0) + Math.exp(10 * 0.8) + Math.exp(10) + Math.exp(-10);
    assertThat(all.get(0).probability()).isCloseTo((float) (Math.exp(10) / z), within(1e-6f));
    assertThat(all.get(1).probability()).isCloseTo((float) (Math.exp(8) / z), within(1e-6f));
    assertThat(all.stream().mapToDouble(ScoredLabel::probability).sum()).isCloseTo(1, within(1e-6));
  }

  @Test
  void topKKeepsTheBestAndItsProbabilitiesStayOverAllLabels() {
    List<ScoredLabel> all = Scorer.topK(INPUT, LABELS, 10f, 0);

    List<ScoredLabel> top2 = Scorer.topK(INPUT, LABELS, 10f, 2);

    assertThat(top2).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(Scorer.topK(INPUT, LABELS, 10f, 99)).containsExactlyElementsOf(all);
  }

  @Test
  void tiesKeepRequestOrder() {
    float[][] same = {{1, 0}, {1, 0}, {1, 0}};

    assertThat(Scorer.topK(INPUT, same, 100f, 2))
        .extracting(ScoredLabel::index)
        .containsExactly(0, 1);
  }

  @Test
  void aLargeLogitScaleDoesNotOverflow() {
    List<ScoredLabel> s = Scorer.topK(INPUT, LABELS, 1000f, 0);

    assertThat(s.get(0).probability()).isCloseTo(1f, within(1e-6f));
    assertThat(s).allSatisfy(l -> assertThat(Float.isNaN(l.probability())).isFalse());
  }

  @Test
  void rejectsNegativeTopK() {
    assertThatThrownBy(() -> Scorer.topK(INPUT, LABELS, 1f, -1))
        .hasMessage("topK: -1 (expected: >= 0)");
  }
}
