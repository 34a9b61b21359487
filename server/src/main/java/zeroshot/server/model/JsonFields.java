package zeroshot.server.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import zeroshot.server.messages.NearestKey;

/**
 * Typed, validated access to one JSON object of a manifest. Every failure becomes an {@link
 * InvalidModelException} that names the file, the dotted field path, the value and what was
 * expected.
 */
final class JsonFields {
  private final Path file;
  private final String prefix;
  private final JsonObject object;

  JsonFields(Path file, String prefix, JsonObject object) {
    this.file = file;
    this.prefix = prefix;
    this.object = object;
  }

  /** Rejects fields this reader does not know, which are almost always typos. */
  JsonFields allowOnly(String... names) throws InvalidModelException {
    Set<String> allowed = Set.of(names);
    for (String key : object.keySet()) {
      if (!allowed.contains(key)) {
        throw problem(
            key,
            "unknown field (nearest known field: "
                + NearestKey.of(key, new TreeSet<>(allowed))
                + "; expected one of: "
                + new TreeSet<>(allowed)
                + ")");
      }
    }
    return this;
  }

  JsonFields object(String name) throws InvalidModelException {
    JsonElement e = require(name, "an object");
    if (!e.isJsonObject()) {
      throw invalid(name, e, "an object");
    }
    return new JsonFields(file, path(name) + ".", e.getAsJsonObject());
  }

  String string(String name, String pattern, String expected) throws InvalidModelException {
    JsonElement e = require(name, expected);
    if (!(e instanceof JsonPrimitive p) || !p.isString() || !p.getAsString().matches(pattern)) {
      throw invalid(name, e, expected);
    }
    return p.getAsString();
  }

  long integer(String name, long min, long max) throws InvalidModelException {
    String expected = "an integer in " + min + ".." + max;
    JsonElement e = require(name, expected);
    if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
      throw invalid(name, e, expected);
    }
    double d = p.getAsDouble();
    if (d != Math.rint(d) || d < min || d > max) {
      throw invalid(name, e, expected);
    }
    return (long) d;
  }

  double number(String name, double minExclusive, double max) throws InvalidModelException {
    String expected = "a number in (" + minExclusive + ", " + max + "]";
    JsonElement e = require(name, expected);
    if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
      throw invalid(name, e, expected);
    }
    double d = p.getAsDouble();
    if (!Double.isFinite(d) || d <= minExclusive || d > max) {
      throw invalid(name, e, expected);
    }
    return d;
  }

  /** A boolean, or {@code otherwise} when the field is absent. */
  boolean bool(String name, boolean otherwise) throws InvalidModelException {
    if (!has(name)) {
      return otherwise;
    }
    JsonElement e = object.get(name);
    if (!(e instanceof JsonPrimitive p) || !p.isBoolean()) {
      throw invalid(name, e, "true or false");
    }
    return p.getAsBoolean();
  }

  /** An array of exactly {@code size} finite numbers, each above {@code minExclusive}. */
  float[] numbers(String name, int size, double minExclusive) throws InvalidModelException {
    String expected = size + " numbers";
    JsonElement e = require(name, expected);
    if (!(e instanceof JsonArray array) || array.size() != size) {
      throw invalid(name, e, expected);
    }
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      JsonElement item = array.get(i);
      String at = name + "[" + i + "]";
      String what = Double.isInfinite(minExclusive) ? "a finite number" : "> " + minExclusive;
      if (!(item instanceof JsonPrimitive p) || !p.isNumber()) {
        throw invalid(at, item, what);
      }
      double d = p.getAsDouble();
      if (!Double.isFinite(d) || d <= minExclusive) {
        throw invalid(at, item, what);
      }
      values[i] = (float) d;
    }
    return values;
  }

  /** The field's JSON text, for messages. */
  String raw(String name) {
    return String.valueOf(object.get(name));
  }

  boolean has(String name) {
    return object.has(name) && !object.get(name).isJsonNull();
  }

  InvalidModelException problem(String name, String what) {
    return new InvalidModelException(file + ": " + path(name) + ": " + what);
  }

  private JsonElement require(String name, String expected) throws InvalidModelException {
    if (!has(name)) {
      throw problem(name, "missing (expected: " + expected + ")");
    }
    return object.get(name);
  }

  private InvalidModelException invalid(String name, JsonElement value, String expected) {
    String shown = value.toString();
    if (shown.length() > 80) {
      shown = shown.substring(0, 77) + "...";
    }
    return problem(name, shown + " (expected: " + expected + ")");
  }

  private String path(String name) {
    return prefix + name;
  }
}
