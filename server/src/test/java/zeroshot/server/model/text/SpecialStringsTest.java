package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.text.SpecialStrings.Segment;

class SpecialStringsTest {
  private final SpecialStrings specials = new SpecialStrings(Map.of("</s>", 1, "<unk>", 2));

  @Test
  void splitsOutEverySpecialStringKeepingTheSpacesAroundIt() {
    assertThat(specials.split("a </s> b<unk></s>"))
        .containsExactly(
            new Segment("a ", -1),
            new Segment(null, 1),
            new Segment(" b", -1),
            new Segment(null, 2),
            new Segment(null, 1));
  }

  @Test
  void aTextWithoutSpecialStringsIsOneSegmentAndAnEmptyOneNone() {
    assertThat(specials.split("a <s> b")).containsExactly(new Segment("a <s> b", -1));
    assertThat(specials.split("")).isEmpty();
  }

  @Test
  void theLongestStringWinsAtAPosition() {
    SpecialStrings nested = new SpecialStrings(Map.of("<a>", 1, "<a><b>", 2));

    assertThat(nested.split("<a><b><a>"))
        .containsExactly(new Segment(null, 2), new Segment(null, 1));
  }
}
