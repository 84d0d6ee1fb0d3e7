package dev.iamguard.policy.iam;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One operator/key pair of a {@code Condition} block, e.g. {@code "StringEquals":
 * {"sts:ExternalId": [...]}}: true when the request carries the key and its value matches any of
 * the listed values. A request without the key fails the condition, as in IAM for operators
 * without {@code IfExists}.
 */
final class IamCondition {

  /** The supported operators; ArnEquals and ArnLike behave alike in IAM (both take wildcards). */
  enum Operator {
    STRING_EQUALS("StringEquals"),
    STRING_LIKE("StringLike"),
    ARN_EQUALS("ArnEquals"),
    ARN_LIKE("ArnLike");

    private final String jsonName;

    Operator(String jsonName) {
      this.jsonName = jsonName;
    }

    String jsonName() {
      return jsonName;
    }

    boolean onArns() {
      return this == ARN_EQUALS || this == ARN_LIKE;
    }

    static Optional<Operator> named(String name) {
      return Arrays.stream(values()).filter(o -> o.jsonName.equals(name)).findFirst();
    }
  }

  private final Operator operator;
  private final String key;
  private final List<String> values;
  private final List<Predicate<String>> matchers;

  /** Values of ARN operators must already hold 6 colon-separated fields (checked at load). */
  IamCondition(Operator operator, String key, List<String> values) {
    this.operator = operator;
    this.key = key;
    this.values = List.copyOf(values);
    this.matchers = this.values.stream().map(v -> matcher(operator, v)).toList();
  }

  private static Predicate<String> matcher(Operator operator, String value) {
    switch (operator) {
      case STRING_EQUALS:
        return value::equals;
      case STRING_LIKE:
        return IamPattern.of(value, false)::matches;
      default:
        List<IamPattern> fields = Arrays.stream(value.split(":", 6))
            .map(f -> IamPattern.of(f, false)).toList();
        return actual -> arnFieldsMatch(fields, actual);
    }
  }

  /** ARN operators match each of the six colon-separated fields on its own. */
  private static boolean arnFieldsMatch(List<IamPattern> fields, String actual) {
    String[] parts = actual.split(":", 6);
    if (parts.length != fields.size()) {
      return false;
    }
    for (int i = 0; i < parts.length; i++) {
      if (!fields.get(i).matches(parts[i])) {
        return false;
      }
    }
    return true;
  }

  boolean holds(Map<String, String> context) {
    for (Map.Entry<String, String> entry : context.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(key)) {
        String actual = entry.getValue();
        return matchers.stream().anyMatch(m -> m.test(actual));
      }
    }
    return false;
  }

  Operator operator() {
    return operator;
  }

  String key() {
    return key;
  }

  List<String> values() {
    return values;
  }
}
