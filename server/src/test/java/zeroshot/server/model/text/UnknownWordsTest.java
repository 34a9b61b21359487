package zeroshot.server.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zeroshot.server.model.TestModels;

/** Which words the bundled model does not know, and that each is named once in the log. */
class UnknownWordsTest {
  private static final Path TOKENIZER = TestModels.tinyClip().resolve("tokenizer.json");
  private static HuggingFaceTokenizer tokenizer;

  private final List<String> warnings = new ArrayList<>();

  @BeforeAll
  static void open() throws Exception {
    tokenizer = HuggingFaceTokenizer.newInstance(TOKENIZER);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void theBundledTokenizerHasAnUnknownToken() {
    assertThat(UnknownWords.unknownToken(TOKENIZER)).isEqualTo("[UNK]");
  }

  @Test
  void namesTheWordsOfALabelTheModelDoesNotKnow() {
    UnknownWords words = words();

    assertThat(words.in("a photo of a cat", encode("a photo of a cat"))).containsExactly("cat");
    assertThat(words.in("Cat, dog", encode("Cat, dog"))).containsExactly("Cat", "dog");
    assertThat(words.in("a red star", encode("a red star"))).isEmpty();
  }

  @Test
  void warnsOncePerWordNamingTheModelAndTheText() {
    UnknownWords words = words();

    for (String text : List.of("a photo of a cat", "a cat", "a photo of a dog", "red star")) {
      words.check(text, encode(text));
    }

    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0))
        .startsWith("model tiny-clip does not know the word \"cat\" (in \"a photo of a cat\")");
    assertThat(warnings.get(1)).contains("\"dog\"");
  }

  @Test
  void withoutQuotingTheLogGetsLengthsAndHashesNotTheText() {
    List<String> hashed = new ArrayList<>();
    UnknownWords words =
        new UnknownWords("tiny-clip", UnknownWords.unknownToken(TOKENIZER), hashed::add, false);

    words.check("a photo of a cat", encode("a photo of a cat"));

    assertThat(hashed).hasSize(1);
    assertThat(hashed.get(0))
        .startsWith("model tiny-clip does not know a word of a request (word of 3 characters,")
        .contains("in text of 16 characters, sha256 ")
        .contains("--log-request-text")
        .doesNotContain("cat")
        .doesNotContain("photo");
  }

  @Test
  void aTokenizerWithoutAnUnknownTokenKnowsEveryWord() {
    UnknownWords words = new UnknownWords("byte-level", null, warnings::add, true);

    words.check("a photo of a cat", encode("a photo of a cat"));

    assertThat(warnings).isEmpty();
  }

  private UnknownWords words() {
    return new UnknownWords("tiny-clip", UnknownWords.unknownToken(TOKENIZER), warnings::add, true);
  }

  private static Encoding encode(String text) {
    return tokenizer.encode(text);
  }
}
