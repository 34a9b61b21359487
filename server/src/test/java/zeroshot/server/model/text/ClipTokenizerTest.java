package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.ClipExports;

/**
 * CLIP's tokenizer.json, built by tools/clip from OpenAI's merges file, loaded the way the server
 * loads it, against OpenAI's token ids for tricky texts (tools/clip/tests/tokenizer-vectors.json).
 */
class ClipTokenizerTest {
  private static final int CONTEXT = 77;
  private static final long START = 49406;
  private static final long END = 49407;
  private static HuggingFaceTokenizer tokenizer;

  @BeforeAll
  static void load() throws Exception {
    Path json = ClipExports.tokenizerJson();
    tokenizer =
        Tokenizers.load(new TokenizerSpec(json, TokenizerType.HUGGINGFACE, CONTEXT, 0, false));
  }

  @AfterAll
  static void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @Test
  void everyReferenceTextGetsOpenAisIdsPaddedWithZero() {
    List<JsonElement> vectors = ClipExports.tokenizerVectors().getAsJsonArray("vectors").asList();
    int exact = 0;
    for (JsonElement e : vectors) {
      JsonObject vector = e.getAsJsonObject();
      long[] reference =
          vector.getAsJsonArray("ids").asList().stream()
              .mapToLong(JsonElement::getAsLong)
              .toArray();
      long[] expected = Arrays.copyOf(reference, CONTEXT); // zeros after the end token

      long[] ids = tokenizer.encode(vector.get("text").getAsString()).getIds();

      assertThat(ids).as(vector.get("text").getAsString()).containsExactly(expected);
      exact++;
    }
    System.out.printf("CLIP tokenizer: %d/%d reference texts exact%n", exact, vectors.size());
    assertThat(exact).isEqualTo(21);
  }

  @Test
  void commonHtmlEntitiesAreUnescapedAsOpenAiDoes() {
    String[][] pairs = {
      {"cats &amp; dogs", "cats & dogs"},
      {"&lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot;", "<b>bold</b> \"quoted\""},
      {"it&#39;s a dog&apos;s life", "it's a dog's life"},
      {"a&nbsp;b", "a b"},
      {"double &amp;lt;escaped&amp;gt;", "double <escaped>"},
    };
    for (String[] pair : pairs) {
      assertThat(tokenizer.encode(pair[0]).getIds())
          .as(pair[0])
          .containsExactly(tokenizer.encode(pair[1]).getIds());
    }
  }

  @Test
  void truncationKeepsTheEndTokenAtPosition76() {
    long[] ids = tokenizer.encode("a red star ".repeat(40)).getIds();

    // As clip.tokenize(truncate=True): the start token, the first 75 ids, the end token.
    long[] redStar = {320, 736, 1565};
    long[] expected = new long[CONTEXT];
    expected[0] = START;
    for (int i = 1; i < CONTEXT - 1; i++) {
      expected[i] = redStar[(i - 1) % 3];
    }
    expected[CONTEXT - 1] = END;
    assertThat(ids).containsExactly(expected);
  }

  @Test
  void batchesPadEachTextWithZerosAfterItsEndToken() {
    Encoding[] batch = tokenizer.batchEncode(List.of("a dog", "", "a photo of a hot-dog"));

    assertThat(batch[0].getIds()).startsWith(START, 320, 1929, END);
    assertThat(batch[1].getIds()).startsWith(START, END);
    assertThat(batch[2].getIds()).startsWith(START, 320, 1125, 539, 320, 2069, 268, 1929, END);
    for (Encoding encoding : batch) {
      long[] ids = encoding.getIds();
      int end =
          LongStream.range(0, ids.length)
              .filter(i -> ids[(int) i] == END)
              .mapToInt(i -> (int) i)
              .findFirst()
              .orElseThrow();
      assertThat(ids).hasSize(CONTEXT);
      assertThat(Arrays.copyOfRange(ids, end + 1, CONTEXT)).containsOnly(0L);
    }
  }
}
