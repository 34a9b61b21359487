package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OrderedLinesTest {

  private static final String NL = System.lineSeparator();

  private final StringWriter out = new StringWriter();
  private final OrderedLines lines = new OrderedLines(new PrintWriter(out));

  @Test
  void lineWaitsUntilEveryEarlierLineIsPrinted() {
    lines.put(2, "two");
    lines.put(0, "zero");
    assertThat(out.toString()).isEqualTo("zero" + NL);

    lines.put(1, "one");
    assertThat(out.toString()).isEqualTo("zero" + NL + "one" + NL + "two" + NL);
  }

  @Test
  void flushWaitingPrintsTheRestInOrderDespiteGaps() {
    lines.put(3, "three");
    lines.put(1, "one");

    lines.flushWaiting();

    assertThat(out.toString()).isEqualTo("one" + NL + "three" + NL);
  }
}
