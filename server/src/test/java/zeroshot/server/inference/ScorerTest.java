package zeroshot.server.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.Scoring;

class ScorerTest {
  private static final float[] INPUT = {1, 0};
  private static final float[][] LABELS = {
    {0, 1}, {0.8f, 0.6f}, {1, 0}, {-1, 0},
  };

  @Test
  void ranksByCosineWithSoftmaxProbabilitiesOverAllLabels() {
    List<ScoredLabel> all = Scorer.topK(INPUT, LABELS, Scoring.softmax(10f), 0);

    assertThat(all).extracting(ScoredLabel::index).containsExactly(2, 1, 0, 3);
    assertThat(all).extracting(ScoredLabel::cosine).containsExactly(1f, 0.8f, 0f, -1f);
    double z = Math.exp(0) + Math.exp(10 * 0.8) + Math.exp(10) + Math.exp(-10);
    assertThat(all.get(0).probability()).isCloseTo((float) (Math.exp(10) / z), within(1e-6f));
    assertThat(all.get(1).probability()).isCloseTo((float) (Math.exp(8) / z), within(1e-6f));
    assertThat(all.stream().mapToDouble(ScoredLabel::probability).sum()).isCloseTo(1, within(1e-6));
  }

  @Test
  void topKKeepsTheBestAndItsProbabilitiesStayOverAllLabels() {
    List<ScoredLabel> all = Scorer.topK(INPUT, LABELS, Scoring.softmax(10f), 0);

    List<ScoredLabel> top2 = Scorer.topK(INPUT, LABELS, Scoring.softmax(10f), 2);

    assertThat(top2).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(Scorer.topK(INPUT, LABELS, Scoring.softmax(10f), 99)).containsExactlyElementsOf(all);
  }

  @Test
  void tiesKeepRequestOrder() {
    float[][] same = {{1, 0}, {1, 0}, {1, 0}};

    assertThat(Scorer.topK(INPUT, same, Scoring.softmax(100f), 2))
        .extracting(ScoredLabel::index)
        .containsExactly(0, 1);
  }

  @Test
  void aLargeLogitScaleDoesNotOverflow() {
    List<ScoredLabel> s = Scorer.topK(INPUT, LABELS, Scoring.softmax(1000f), 0);

    assertThat(s.get(0).probability()).isCloseTo(1f, within(1e-6f));
    assertThat(s).allSatisfy(l -> assertThat(Float.isNaN(l.probability())).isFalse());
  }

  @Test
  void sigmoidGivesEachLabelItsOwnProbabilityWithTheBias() {
    List<ScoredLabel> all = Scorer.topK(INPUT, LABELS, Scoring.sigmoid(10f, -1.5f), 0);

    assertThat(all).extracting(ScoredLabel::index).containsExactly(2, 1, 0, 3);
    float[] cosines = {1f, 0.8f, 0f, -1f};
    for (int i = 0; i < 4; i++) {
      double expected = 1 / (1 + Math.exp(-(10 * cosines[i] - 1.5)));
      assertThat(all.get(i).probability()).isCloseTo((float) expected, within(1e-7f));
    }
    // Not a softmax: the labels' probabilities do not sum to 1, and adding a label changes none.
    assertThat(all.stream().mapToDouble(ScoredLabel::probability).sum()).isGreaterThan(1.5);
    float[][] more = {{0, 1}, {0.8f, 0.6f}, {1, 0}, {-1, 0}, {1, 0}};
    assertThat(Scorer.topK(INPUT, more, Scoring.sigmoid(10f, -1.5f), 1).get(0).probability())
        .isEqualTo(all.get(0).probability());
  }

  @Test
  void sigmoidWithoutBiasWouldScoreHigher() {
    float withBias =
        Scorer.topK(INPUT, LABELS, Scoring.sigmoid(10f, -1.5f), 0).get(1).probability();
    float withoutBias =
        Scorer.topK(INPUT, LABELS, Scoring.sigmoid(10f, 0f), 0).get(1).probability();

    assertThat(withBias).isCloseTo((float) (1 / (1 + Math.exp(-6.5))), within(1e-7f));
    assertThat(withoutBias - withBias).isGreaterThan(1e-3f);
  }

  @Test
  void rejectsNegativeTopK() {
    assertThatThrownBy(() -> Scorer.topK(INPUT, LABELS, Scoring.softmax(1f), -1))
        .hasMessage("topK: -1 (expected: >= 0)");
  }
}
