package dev.iamguard.policy.awscli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON object of AWS CLI output with where it is ({@code RoleDetailList[2].RolePolicyList[0]}),
 * so that a missing or mistyped field is reported by its path. Values are read as the CLI prints
 * them; a field the import does not need is never looked at.
 */
final class JsonView {
  private final Map<?, ?> map;
  private final String source;
  private final String path;
  private final List<String> problems;

  private JsonView(Map<?, ?> map, String source, String path, List<String> problems) {
    this.map = map;
    this.source = source;
    this.path = path;
    this.problems = problems;
  }

  /** The document's top object, or a problem when it is not an object. */
  static Optional<JsonView> top(Object value, String source, List<String> problems) {
    if (value instanceof Map<?, ?> m) {
      return Optional.of(new JsonView(m, source, "", problems));
    }
    problems.add(source + ": expected a JSON object at the top, got " + describe(value));
    return Optional.empty();
  }

  String path() {
    return path;
  }

  String source() {
    return source;
  }

  boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  /** The raw value of a field (null when absent). */
  Object raw(String key) {
    return map.get(key);
  }

  /** A string field that must be there. */
  Optional<String> text(String key) {
    Optional<String> value = optionalText(key);
    if (value.isEmpty() && !has(key)) {
      problem(key, "missing");
    }
    return value;
  }

  /** A string field that may be absent; a non-string value is a problem. */
  Optional<String> optionalText(String key) {
    Object value = map.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      return Optional.of(s);
    }
    problem(key, "expected a string, got " + describe(value));
    return Optional.empty();
  }

  /** A boolean field; absent is {@code fallback}. */
  boolean bool(String key, boolean fallback) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    problem(key, "expected true or false, got " + describe(value));
    return fallback;
  }

  /** An object field; absent is empty (and no problem). */
  Optional<JsonView> object(String key) {
    Object value = map.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Map<?, ?> m) {
      return Optional.of(new JsonView(m, source, join(key), problems));
    }
    problem(key, "expected an object, got " + describe(value));
    return Optional.empty();
  }

  /** The raw items of a list field; absent is empty. */
  List<Object> items(String key) {
    Object value = map.get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    problem(key, "expected a list, got " + describe(value));
    return List.of();
  }

  /** The objects of a list field; absent is empty, an item that is not an object a problem. */
  List<JsonView> objects(String key) {
    List<JsonView> views = new ArrayList<>();
    List<Object> items = items(key);
    for (int i = 0; i < items.size(); i++) {
      String at = join(key) + "[" + i + "]";
      if (items.get(i) instanceof Map<?, ?> m) {
        views.add(new JsonView(m, source, at, problems));
      } else {
        problems.add(source + ": " + at + ": expected an object, got " + describe(items.get(i)));
      }
    }
    return views;
  }

  /** Reports a problem about {@code key} of this object. */
  void problem(String key, String message) {
    problems.add(source + ": " + join(key) + ": " + message);
  }

  /** Reports a problem about this object. */
  void problem(String message) {
    problems.add(source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  private String join(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return value instanceof Number ? "a number" : "a value";
  }
}
