package zeroshot.server.model.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The SigLIP tokenizer reference data in src/test/resources/siglip (copied from
 * tools/siglip/tests/reference, see its README, "Tokenizer cases"): two small SentencePiece models
 * laid out like SigLIP's and SigLIP 2's, and the ids transformers gives 42 awkward texts with them.
 */
final class SiglipCases {
  static final int CONTEXT = 64;

  /** One text and what transformers made of it. */
  record Case(int number, String text, long[] ids, int length) {
    /** The text with every character outside printable ASCII escaped, for failure messages. */
    String escaped() {
      StringBuilder out = new StringBuilder();
      text.codePoints()
          .forEach(
              c -> {
                if (c >= 0x20 && c < 0x7f) {
                  out.appendCodePoint(c);
                } else {
                  out.append(String.format("\\u{%x}", c));
                }
              });
      return "case " + number + " \"" + out + "\"";
    }
  }

  private SiglipCases() {}

  /** SigLIP's unigram model: PAD = EOS = 1 ({@code </s>}), UNK 2, no byte fallback. */
  static Path siglipModel() {
    return resource("siglip_spm_unigram_1k.model");
  }

  /** SigLIP 2's Gemma-style BPE model: PAD 0, EOS 1, BOS 2, UNK 3, byte fallback. */
  static Path gemmaModel() {
    return resource("siglip2_gemma_spm_bpe_1k.model");
  }

  static List<Case> siglip() {
    return cases("siglip_tokenizer_cases.json");
  }

  static List<Case> gemma() {
    return cases("siglip2_tokenizer_cases.json");
  }

  static TokenizerSpec spec(Path file, TokenizerType type, long padId, boolean lowercase) {
    return new TokenizerSpec(file, type, CONTEXT, padId, lowercase);
  }

  /**
   * Tokenizes every case as one batch and describes each whose ids or mask length differ from
   * transformers' (escaped text, expected and actual ids up to their lengths); empty when all
   * match.
   */
  static List<String> mismatches(TextTokenizer tokenizer, List<Case> cases) {
    TokenIds result = tokenizer.tokenize(cases.stream().map(Case::text).toList());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      long[] ids = result.ids()[i];
      int length = result.lengths()[i];
      if (!Arrays.equals(ids, c.ids()) || length != c.length()) {
        failures.add(
            c.escaped()
                + "\n  expected "
                + Arrays.toString(Arrays.copyOf(c.ids(), c.length()))
                + " (length "
                + c.length()
                + ")\n  got      "
                + Arrays.toString(Arrays.copyOf(ids, length))
                + " (length "
                + length
                + ")");
      }
    }
    return failures;
  }

  private static List<Case> cases(String name) {
    try (Reader reader =
        new InputStreamReader(
            Objects.requireNonNull(SiglipCases.class.getResourceAsStream("/siglip/" + name), name),
            StandardCharsets.UTF_8)) {
      List<Case> cases = new ArrayList<>();
      for (JsonElement element : JsonParser.parseReader(reader).getAsJsonArray()) {
        JsonObject c = element.getAsJsonObject();
        long[] ids =
            c.getAsJsonArray("input_ids").asList().stream()
                .mapToLong(JsonElement::getAsLong)
                .toArray();
        int length =
            c.getAsJsonArray("attention_mask").asList().stream()
                .mapToInt(JsonElement::getAsInt)
                .sum();
        cases.add(new Case(cases.size() + 1, c.get("text").getAsString(), ids, length));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(
          Objects.requireNonNull(SiglipCases.class.getResource("/siglip/" + name), name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
