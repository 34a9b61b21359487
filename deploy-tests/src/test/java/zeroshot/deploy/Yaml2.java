package zeroshot.deploy;

import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML (maps and lists from SnakeYAML) without unchecked casts everywhere. */
final class Yaml2 {
  private Yaml2() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map)) {
      throw new AssertionError("expected a mapping, got: " + node);
    }
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    if (!(node instanceof List)) {
      throw new AssertionError("expected a sequence, got: " + node);
    }
    return (List<Object>) node;
  }

  /** The node at {@code keys} below {@code root}, or null where a key is missing. */
  static Object at(Object root, String... keys) {
    Object node = root;
    for (String key : keys) {
      if (!(node instanceof Map<?, ?> m)) {
        return null;
      }
      node = m.get(key);
    }
    return node;
  }
}
