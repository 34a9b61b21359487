package zeroshot.server.model.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The special-token strings that transformers splits out of a text before the rest reaches
 * SentencePiece: {@code "a </s> b"} is the text {@code "a "}, the EOS id, the text {@code " b"}.
 * The leftmost match wins, then the longest at that position; nothing around a match is stripped.
 */
final class SpecialStrings {
  private final String[] strings;
  private final int[] ids;

  /** One part of a split text: either text ({@code id} -1) or a special token. */
  record Segment(String text, int id) {
    boolean special() {
      return text == null;
    }
  }

  /** Splits on the keys of {@code ids}, each standing for its value. */
  SpecialStrings(Map<String, Integer> ids) {
    this.strings = ids.keySet().toArray(String[]::new);
    this.ids = ids.values().stream().mapToInt(Integer::intValue).toArray();
  }

  /** {@code text}'s segments in order; no text segment is empty. */
  List<Segment> split(String text) {
    List<Segment> segments = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      int match = longestAt(text, i);
      if (match < 0) {
        i++;
        continue;
      }
      if (i > start) {
        segments.add(new Segment(text.substring(start, i), -1));
      }
      segments.add(new Segment(null, ids[match]));
      i += strings[match].length();
      start = i;
    }
    if (start < text.length()) {
      segments.add(new Segment(text.substring(start), -1));
    }
    return segments;
  }

  private int longestAt(String text, int i) {
    int best = -1;
    for (int s = 0; s < strings.length; s++) {
      if (text.startsWith(strings[s], i)
          && (best < 0 || strings[s].length() > strings[best].length())) {
        best = s;
      }
    }
    return best;
  }
}
