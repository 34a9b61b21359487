package zeroshot.server.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model directory's eval.json, as the bench commands read it and write their reports into it: one
 * format (pretty, no HTML escaping, a final newline), so that a re-run changes only its own
 * figures.
 */
final class EvalJson {
  /** How the bench commands print their reports and write eval.json. */
  static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private EvalJson() {}

  /** The eval.json of {@code modelDir}. */
  static JsonObject read(Path modelDir) throws IOException {
    return JsonParser.parseString(Files.readString(modelDir.resolve("eval.json")))
        .getAsJsonObject();
  }

  /**
   * Sets {@code key} of {@code modelDir}'s eval.json to {@code report}, keeping every other key.
   */
  static void put(Path modelDir, String key, Object report) throws IOException {
    JsonObject eval = read(modelDir);
    eval.add(key, GSON.toJsonTree(report));
    Files.writeString(
        modelDir.resolve("eval.json"), GSON.toJson(eval) + "\n", StandardCharsets.UTF_8);
  }
}
