package zeroshot.client.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints lines numbered 0, 1, 2, ... in that order, whatever order they come in: a line waits until
 * those before it are printed. Thread-safe.
 */
final class OrderedLines {

  private final PrintWriter out;
  private final Map<Integer, String> waiting = new TreeMap<>();
  private int next;

  OrderedLines(PrintWriter out) {
    this.out = out;
  }

  /** Prints line {@code index} if every earlier one is printed, else keeps it until they are. */
  synchronized void put(int index, String line) {
    waiting.put(index, line);
    for (String ready = waiting.remove(next); ready != null; ready = waiting.remove(next)) {
      out.println(ready);
      next++;
    }
    out.flush();
  }

  /** Prints the lines still waiting, in order, skipping the numbers never put (a failed stream). */
  synchronized void flushWaiting() {
    waiting.values().forEach(out::println);
    waiting.clear();
    out.flush();
  }
}
