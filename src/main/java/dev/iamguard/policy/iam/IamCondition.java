package dev.iamguard.policy.iam;

import dev.iamguard.policy.iam.ConditionOperator.Family;
import dev.iamguard.policy.iam.ConditionOperator.SetQualifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One operator and key of a {@code Condition} block with its values, e.g. {@code "StringLike":
 * {"s3:prefix": ["home/", "home/*"]}}, evaluated as the IAM reference says: the values of one key
 * are OR'd; a key the request does not carry makes a positive operator false, a negated one
 * ({@code StringNotEquals}, {@code NotIpAddress}, ...) true, an {@code ...IfExists} one true,
 * {@code ForAllValues:} true and {@code ForAnyValue:} false, with {@code IfExists} too; {@code Null}
 * tests presence. A key the guard cannot know (see {@link RequestContext}) gives {@link Tri#UNKNOWN}.
 */
final class IamCondition {

  private final ConditionOperator operator;
  private final String key;
  private final List<String> texts;
  /** String, Bool and ARN operators: the values with their policy variables. */
  private final List<PolicyText> values;
  /** Numeric and Date operators: the values as numbers (dates in epoch milliseconds). */
  private final List<BigDecimal> numbers;
  /** IpAddress: the ranges. */
  private final List<Cidr> ranges;
  /** BinaryEquals: the decoded bytes. */
  private final List<byte[]> bytes;
  /** Null: whether the key must be absent. */
  private final boolean mustBeAbsent;

  private IamCondition(ConditionOperator operator, String key, List<String> texts, List<PolicyText> values,
      List<BigDecimal> numbers, List<Cidr> ranges, List<byte[]> bytes, boolean mustBeAbsent) {
    this.operator = operator;
    this.key = key;
    this.texts = List.copyOf(texts);
    this.values = List.copyOf(values);
    this.numbers = List.copyOf(numbers);
    this.ranges = List.copyOf(ranges);
    this.bytes = List.copyOf(bytes);
    this.mustBeAbsent = mustBeAbsent;
  }

  /**
   * Reads the values of {@code operator} on {@code key}, reporting each value the operator cannot
   * take (a date that is not ISO 8601 or epoch time, an address that is not CIDR, ...).
   *
   * @param variables whether {@code ${...}} is a policy variable in this document
   * @return empty when a value had a problem
   */
  static Optional<IamCondition> read(ConditionOperator operator, String key, List<String> texts,
      boolean variables, Consumer<String> problem) {
    Family family = operator.family();
    List<PolicyText> values = new ArrayList<>();
    List<BigDecimal> numbers = new ArrayList<>();
    List<Cidr> ranges = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    boolean absent = false;
    boolean ok = true;
    if (family == Family.NULL && texts.size() > 1) { // said once, not once per value
      problem.accept(operator.name() + " on " + key + " takes one value, \"true\" or \"false\"");
      ok = false;
    }
    for (String text : texts) {
      String where = operator.name() + " value \"" + text + "\" of " + key;
      switch (family) {
        case NULL -> {
          if (!IamPattern.equalsIgnoringAsciiCase(text, "true")
              && !IamPattern.equalsIgnoringAsciiCase(text, "false")) {
            problem.accept(where + " must be \"true\" (the key is absent) or \"false\" (present)");
            ok = false;
          }
          absent = IamPattern.equalsIgnoringAsciiCase(text, "true");
        }
        case BOOL -> {
          PolicyText value = PolicyText.parse(text, variables, false, p -> problem.accept(where + ": " + p));
          if (!value.hasVariables() && !IamPattern.equalsIgnoringAsciiCase(text, "true")
              && !IamPattern.equalsIgnoringAsciiCase(text, "false")) {
            problem.accept(where + " must be \"true\" or \"false\"");
            ok = false;
          }
          values.add(value);
        }
        case BINARY_EQUALS -> {
          try {
            bytes.add(Base64.getDecoder().decode(text));
          } catch (IllegalArgumentException e) {
            problem.accept(where + " is not base-64");
            ok = false;
          }
        }
        case IP_ADDRESS -> {
          Optional<Cidr> range = Cidr.parse(text);
          range.ifPresent(ranges::add);
          if (range.isEmpty()) {
            problem.accept(where + " is not an IPv4 or IPv6 address or CIDR range (203.0.113.0/24, 2001:DB8::/32)");
            ok = false;
          }
        }
        case ARN_LIKE -> {
          PolicyText value = PolicyText.parse(text, variables, true, p -> problem.accept(where + ": " + p));
          if (!value.hasVariables() && text.split(":", 6).length != 6) {
            problem.accept(where + " is not an ARN (6 colon-separated fields)");
            ok = false;
          }
          values.add(value);
        }
        case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE -> values.add(PolicyText.parse(text, variables,
            family == Family.STRING_LIKE, p -> problem.accept(where + ": " + p)));
        default -> {
          Optional<BigDecimal> number = family.numeric() ? number(text) : IamDates.epochMillis(text);
          number.ifPresent(numbers::add);
          if (number.isEmpty()) {
            problem.accept(where + (family.numeric() ? " is not a number"
                : " is not a date (ISO 8601 such as 2024-01-31T12:00:00Z, or epoch seconds)"));
            ok = false;
          }
        }
      }
    }
    if (texts.isEmpty()) {
      ok = false; // the reader said why (an empty list, or values that are not strings)
    }
    return ok ? Optional.of(new IamCondition(operator, key, texts, values, numbers, ranges, bytes, absent))
        : Optional.empty();
  }

  private static Optional<BigDecimal> number(String text) {
    try {
      return Optional.of(new BigDecimal(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  ConditionOperator operator() {
    return operator;
  }

  String key() {
    return key;
  }

  /** The values as written. */
  List<String> texts() {
    return texts;
  }

  /** The keys its policy variables name. */
  List<String> variableKeys() {
    List<String> keys = new ArrayList<>();
    values.forEach(v -> keys.addAll(v.variableKeys()));
    return keys;
  }

  Tri evaluate(RequestContext context) {
    RequestContext.Knowledge knowledge = context.knowledge(key);
    if (knowledge == RequestContext.Knowledge.UNKNOWN) {
      return Tri.UNKNOWN;
    }
    boolean present = knowledge == RequestContext.Knowledge.PRESENT;
    if (operator.family() == Family.NULL) {
      return Tri.of(present != mustBeAbsent);
    }
    if (!present) {
      // ForAnyValue "returns false if there are no context keys in the request", IfExists or not:
      // AWS refused a request without tags under an Allow with ForAnyValue:StringEqualsIfExists on
      // aws:TagKeys (ForAnyValueIfExistsTest), where the IfExists rule alone would have granted
      if (operator.set() == SetQualifier.FOR_ANY_VALUE) {
        return Tri.FALSE;
      }
      if (operator.ifExists() || operator.set() == SetQualifier.FOR_ALL_VALUES) {
        return Tri.TRUE;
      }
      return Tri.of(operator.set() == SetQualifier.NONE && operator.negated());
    }
    List<String> actual = context.values(key);
    switch (operator.set()) {
      case FOR_ALL_VALUES: {
        Tri all = Tri.TRUE;
        for (String value : actual) {
          all = all.and(perValue(value, context));
        }
        return all;
      }
      case FOR_ANY_VALUE: {
        Tri any = Tri.FALSE;
        for (String value : actual) {
          any = any.or(perValue(value, context));
        }
        return any;
      }
      default: {
        if (actual.size() > 1) {
          // "Multivalued context keys require a condition set operator" (IAM User Guide, Single-valued
          // vs. multivalued context keys); what a plain operator does with several values is not
          // documented: "any value matches" and "never matches" are both read, so perhaps
          return Tri.UNKNOWN;
        }
        Tri any = matchesSome(actual.get(0), context);
        return operator.negated() ? any.not() : any;
      }
    }
  }

  /**
   * Whether the request carries the key with several values and the operator has no set qualifier:
   * the condition is then judged conservatively ({@link #evaluate}).
   */
  boolean severalValuesWithoutSet(RequestContext context) {
    return operator.set() == SetQualifier.NONE && operator.family() != Family.NULL
        && context.values(key).size() > 1;
  }

  /** For set operators: a negated operator asks that the value match none of the policy's values. */
  private Tri perValue(String value, RequestContext context) {
    Tri matches = matchesSome(value, context);
    return operator.negated() ? matches.not() : matches;
  }

  /** Whether {@code actual} matches at least one of the policy's values (the positive test). */
  private Tri matchesSome(String actual, RequestContext context) {
    Family family = operator.family();
    switch (family) {
      case BINARY_EQUALS: {
        byte[] got;
        try {
          got = Base64.getDecoder().decode(actual);
        } catch (IllegalArgumentException e) {
          got = actual.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        for (byte[] b : bytes) {
          if (Arrays.equals(b, got)) {
            return Tri.TRUE;
          }
        }
        return Tri.FALSE;
      }
      case IP_ADDRESS: {
        Optional<Cidr> address = Cidr.parse(actual);
        return Tri.of(address.isPresent() && ranges.stream().anyMatch(r -> r.contains(address.get())));
      }
      case BOOL:
      case STRING_EQUALS:
      case STRING_EQUALS_IGNORE_CASE:
      case STRING_LIKE:
      case ARN_LIKE: {
        Tri any = Tri.FALSE;
        for (PolicyText value : values) {
          any = any.or(textMatches(value.resolve(context), actual));
          if (any == Tri.TRUE) {
            return any;
          }
        }
        return any;
      }
      default: {
        Optional<BigDecimal> got = family.numeric() ? number(actual) : IamDates.epochMillis(actual);
        if (got.isEmpty()) {
          return Tri.FALSE;
        }
        for (BigDecimal limit : numbers) {
          if (compare(family, got.get().compareTo(limit))) {
            return Tri.TRUE;
          }
        }
        return Tri.FALSE;
      }
    }
  }

  private static boolean compare(Family family, int sign) {
    return switch (family) {
      case NUMERIC_EQUALS, DATE_EQUALS -> sign == 0;
      case NUMERIC_LESS_THAN, DATE_LESS_THAN -> sign < 0;
      case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> sign <= 0;
      case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> sign > 0;
      default -> sign >= 0;
    };
  }

  /** One resolved policy value against one request value; an upper bound gives "perhaps" or "surely not". */
  private Tri textMatches(PolicyText.Resolved value, String actual) {
    if (value.exact() == Tri.FALSE) {
      // a variable IAM cannot resolve "might cause the entire statement to be invalid" (IAM User
      // Guide, Variables and tags): a positive test matches nothing either way, but a negated one
      // would turn that into a match and let an Allow grant (probe 23a F1), so it only says perhaps
      return operator.negated() ? Tri.UNKNOWN : Tri.FALSE;
    }
    boolean matches = switch (operator.family()) {
      case BOOL, STRING_EQUALS_IGNORE_CASE -> IamPattern.ofSymbols("", value.symbols(), true, false).matches(actual);
      // an unknown variable may hold colons: the upper bound then spans fields
      case ARN_LIKE -> value.exact() == Tri.TRUE ? arnMatches(value.symbols(), actual)
          : IamPattern.ofSymbols("", value.symbols(), false, false).matches(actual);
      default -> IamPattern.ofSymbols("", value.symbols(), false, false).matches(actual);
    };
    if (!matches) {
      return Tri.FALSE;
    }
    return value.exact() == Tri.TRUE ? Tri.TRUE : Tri.UNKNOWN;
  }

  /**
   * ArnEquals and ArnLike: "Each of the six colon-delimited components of the ARN is checked
   * separately", the last holding the rest of the ARN.
   */
  private static boolean arnMatches(int[] pattern, String actual) {
    String[] parts = actual.split(":", 6);
    if (parts.length != 6) {
      return false;
    }
    int field = 0;
    int start = 0;
    for (int i = 0; i <= pattern.length; i++) {
      boolean end = i == pattern.length;
      if (end || pattern[i] == ':' && field < 5) { // field is at most 5 here: no seventh field
        int[] piece = Arrays.copyOfRange(pattern, start, i);
        if (!IamPattern.ofSymbols("", piece, false, false).matches(parts[field])) {
          return false;
        }
        field++;
        start = i + 1;
      }
    }
    return field == 6;
  }

  @Override
  public String toString() {
    return operator.name() + " " + key + " " + texts;
  }
}
