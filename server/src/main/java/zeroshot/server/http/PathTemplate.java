package zeroshot.server.http;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The path of a {@code google.api.http} rule, e.g. {@code /v1/labelsets/{label_set.name}}: literal
 * segments and variables that bind one whole segment to a request field. The subset of the template
 * syntax this API uses; {@link #parse} refuses the rest ({@code *}, {@code **}, {@code
 * {name=pattern}}) rather than route it wrongly.
 */
record PathTemplate(String text, List<Segment> segments) {

  /** A literal segment ({@code field} null) or a variable bound to a field path. */
  record Segment(String literal, String field) {
    boolean isVariable() {
      return field != null;
    }
  }

  PathTemplate {
    requireNonNull(text, "text");
    segments = List.copyOf(segments);
  }

  static PathTemplate parse(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("path template: " + text + " (expected: /...)");
    }
    List<Segment> segments = new ArrayList<>();
    for (String part : text.substring(1).split("/", -1)) {
      if (part.startsWith("{") && part.endsWith("}")) {
        String field = part.substring(1, part.length() - 1);
        if (!field.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*")) {
          throw new IllegalArgumentException(
              "path template: " + text + " (expected: {field.path} variables only)");
        }
        segments.add(new Segment(null, field));
      } else if (part.isEmpty() || part.contains("{") || part.contains("*")) {
        throw new IllegalArgumentException(
            "path template: " + text + " (expected: literal segments and {field} variables)");
      } else {
        segments.add(new Segment(part, null));
      }
    }
    return new PathTemplate(text, segments);
  }

  /**
   * The variables of {@code path} (already split at '/' and percent-decoded) by field path, or
   * empty when the path does not match.
   */
  Optional<Map<String, String>> match(List<String> path) {
    if (path.size() != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (int i = 0; i < path.size(); i++) {
      Segment segment = segments.get(i);
      String part = path.get(i);
      if (segment.isVariable()) {
        if (part.isEmpty()) {
          return Optional.empty();
        }
        variables.put(segment.field(), part);
      } else if (!segment.literal().equals(part)) {
        return Optional.empty();
      }
    }
    return Optional.of(variables);
  }
}
