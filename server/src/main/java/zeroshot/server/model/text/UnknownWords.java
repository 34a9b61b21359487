package zeroshot.server.model.text;

import static java.util.Objects.requireNonNull;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import zeroshot.server.messages.Echo;

/**
 * The words of a text that the model's tokenizer maps to its unknown token, and a warning that
 * names each such word once. A model with a small word-level vocabulary (the bundled tiny-clip)
 * gives every unknown word the same embedding, so "cat", "dog" and "car" all score alike; the
 * warning says why. Byte-level BPE tokenizers (OpenAI's CLIP) have no unknown words.
 */
final class UnknownWords {
  /**
   * Distinct words warned about before the rest are only counted: a client cannot flood the log.
   */
  static final int MAX_WARNED = 1_000;

  private final String model;
  private final String unknownToken; // null: the tokenizer knows every word
  private final Consumer<String> warn;
  private final boolean quoteText;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * Warns through {@code warn}; names the word and its text only when {@code quoteText}, else gives
   * their lengths and a short SHA-256 (request text stays out of logs unless asked for).
   */
  UnknownWords(String model, String unknownToken, Consumer<String> warn, boolean quoteText) {
    this.model = requireNonNull(model, "model");
    this.unknownToken = unknownToken;
    this.warn = requireNonNull(warn, "warn");
    this.quoteText = quoteText;
  }

  /** For the tokenizer in {@code tokenizerJson}, warning through the server's log. */
  static UnknownWords of(String model, Path tokenizerJson, boolean quoteText) {
    return logged(model, unknownToken(tokenizerJson), quoteText);
  }

  /** For a tokenizer whose unknown token is {@code unknownToken}, warning through the log. */
  static UnknownWords logged(String model, String unknownToken, boolean quoteText) {
    return new UnknownWords(
        model, unknownToken, LoggerFactory.getLogger(UnknownWords.class)::warn, quoteText);
  }

  /** The {@code model.unk_token} of a tokenizer.json, or null if it has none or is unreadable. */
  static String unknownToken(Path tokenizerJson) {
    try (Reader reader = Files.newBufferedReader(tokenizerJson)) {
      JsonElement model = JsonParser.parseReader(reader).getAsJsonObject().get("model");
      JsonElement unk = model instanceof JsonObject m ? m.get("unk_token") : null;
      return unk == null || unk.isJsonNull() ? null : unk.getAsString();
    } catch (IOException | RuntimeException e) {
      return null; // the tokenizer itself loaded; only this check is lost
    }
  }

  /**
   * The words of {@code text} that {@code encoding} (of that text) maps to the unknown token;
   * punctuation is left out.
   */
  List<String> in(String text, Encoding encoding) {
    List<String> words = new ArrayList<>();
    if (unknownToken == null) {
      return words;
    }
    String[] tokens = encoding.getTokens();
    long[] special = null;
    CharSpan[] spans = null; // fetched from the native encoding only when a token is unknown
    for (int i = 0; i < tokens.length; i++) {
      if (!unknownToken.equals(tokens[i])) {
        continue;
      }
      if (spans == null) {
        special = encoding.getSpecialTokenMask();
        spans = encoding.getCharTokenSpans();
      }
      if (special[i] == 0 && spans[i] != null) {
        String word = text.substring(spans[i].getStart(), spans[i].getEnd());
        if (word.codePoints().anyMatch(Character::isLetterOrDigit)) {
          words.add(word); // punctuation is not worth a warning
        }
      }
    }
    return words;
  }

  /** Warns once per unknown word of {@code text}, naming the text it was first seen in. */
  void check(String text, Encoding encoding) {
    warnOnce(text, in(text, encoding));
  }

  /** Warns about each of {@code words} (unknown words of {@code text}) not warned about before. */
  void warnOnce(String text, List<String> words) {
    for (String word : words) {
      if (warned.size() >= MAX_WARNED || !warned.add(word)) {
        continue;
      }
      String which =
          quoteText
              ? "the word \"" + Echo.value(word) + "\" (in \"" + Echo.value(text) + "\")"
              : "a word of a request ("
                  + digest("word", word)
                  + ", in "
                  + digest("text", text)
                  + "; --log-request-text quotes them)";
      warn.accept(
          "model "
              + model
              + " does not know "
              + which
              + ": it is embedded as every unknown word is, so labels made only of unknown"
              + " words score alike"
              + (warned.size() == MAX_WARNED ? "; further unknown words are not logged" : ""));
    }
  }

  /** "word of 3 characters, sha256 1a2b3c4d": enough to tell two apart, not to read either. */
  private static String digest(String what, String value) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return what
          + " of "
          + value.codePointCount(0, value.length())
          + " characters, sha256 "
          + HexFormat.of().formatHex(sha, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
