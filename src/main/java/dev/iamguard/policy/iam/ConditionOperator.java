package dev.iamguard.policy.iam;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A condition operator of the IAM reference ("IAM JSON policy elements: Condition operators"):
 * its family, whether it is negated, the {@code IfExists} suffix and a {@code ForAllValues:} or
 * {@code ForAnyValue:} set qualifier.
 *
 * @param name the operator as written, e.g. {@code ForAnyValue:StringLikeIfExists}
 */
record ConditionOperator(String name, Family family, boolean negated, boolean ifExists, SetQualifier set) {

  /** How values compare. */
  enum Family {
    STRING_EQUALS(true), STRING_EQUALS_IGNORE_CASE(true), STRING_LIKE(true),
    NUMERIC_EQUALS(false), NUMERIC_LESS_THAN(false), NUMERIC_LESS_THAN_EQUALS(false),
    NUMERIC_GREATER_THAN(false), NUMERIC_GREATER_THAN_EQUALS(false),
    DATE_EQUALS(false), DATE_LESS_THAN(false), DATE_LESS_THAN_EQUALS(false),
    DATE_GREATER_THAN(false), DATE_GREATER_THAN_EQUALS(false),
    BOOL(true), BINARY_EQUALS(false), IP_ADDRESS(false), ARN_LIKE(true), NULL(false);

    /** Whether policy variables may be used in values ("You can use a policy variable with ..."). */
    final boolean variables;

    Family(boolean variables) {
      this.variables = variables;
    }

    boolean numeric() {
      return name().startsWith("NUMERIC");
    }
  }

  /** No qualifier, {@code ForAllValues:} or {@code ForAnyValue:}. */
  enum SetQualifier {
    NONE, FOR_ALL_VALUES, FOR_ANY_VALUE
  }

  /** The base operator names, each with its family and whether it is negated. */
  private enum Base {
    StringEquals(Family.STRING_EQUALS, false),
    StringNotEquals(Family.STRING_EQUALS, true),
    StringEqualsIgnoreCase(Family.STRING_EQUALS_IGNORE_CASE, false),
    StringNotEqualsIgnoreCase(Family.STRING_EQUALS_IGNORE_CASE, true),
    StringLike(Family.STRING_LIKE, false),
    StringNotLike(Family.STRING_LIKE, true),
    NumericEquals(Family.NUMERIC_EQUALS, false),
    NumericNotEquals(Family.NUMERIC_EQUALS, true),
    NumericLessThan(Family.NUMERIC_LESS_THAN, false),
    NumericLessThanEquals(Family.NUMERIC_LESS_THAN_EQUALS, false),
    NumericGreaterThan(Family.NUMERIC_GREATER_THAN, false),
    NumericGreaterThanEquals(Family.NUMERIC_GREATER_THAN_EQUALS, false),
    DateEquals(Family.DATE_EQUALS, false),
    DateNotEquals(Family.DATE_EQUALS, true),
    DateLessThan(Family.DATE_LESS_THAN, false),
    DateLessThanEquals(Family.DATE_LESS_THAN_EQUALS, false),
    DateGreaterThan(Family.DATE_GREATER_THAN, false),
    DateGreaterThanEquals(Family.DATE_GREATER_THAN_EQUALS, false),
    Bool(Family.BOOL, false),
    BinaryEquals(Family.BINARY_EQUALS, false),
    IpAddress(Family.IP_ADDRESS, false),
    NotIpAddress(Family.IP_ADDRESS, true),
    ArnEquals(Family.ARN_LIKE, false),
    ArnLike(Family.ARN_LIKE, false),
    ArnNotEquals(Family.ARN_LIKE, true),
    ArnNotLike(Family.ARN_LIKE, true),
    Null(Family.NULL, false);

    final Family family;
    final boolean negated;

    Base(Family family, boolean negated) {
      this.family = family;
      this.negated = negated;
    }
  }

  /** The result of {@link #parse}: the operator, or why the name is none. */
  record Parsed(Optional<ConditionOperator> operator, String problem) {}

  /** Reads an operator name; names compare exactly, as IAM writes them. */
  static Parsed parse(String name) {
    String rest = name;
    SetQualifier set = SetQualifier.NONE;
    if (rest.startsWith("ForAllValues:")) {
      set = SetQualifier.FOR_ALL_VALUES;
      rest = rest.substring("ForAllValues:".length());
    } else if (rest.startsWith("ForAnyValue:")) {
      set = SetQualifier.FOR_ANY_VALUE;
      rest = rest.substring("ForAnyValue:".length());
    }
    boolean ifExists = rest.endsWith("IfExists");
    if (ifExists) {
      rest = rest.substring(0, rest.length() - "IfExists".length());
    }
    String base = rest;
    Optional<Base> found = Arrays.stream(Base.values()).filter(b -> b.name().equals(base)).findFirst();
    if (found.isEmpty()) {
      Optional<Base> other = Arrays.stream(Base.values())
          .filter(b -> b.name().toLowerCase(Locale.ROOT).equals(base.toLowerCase(Locale.ROOT))).findFirst();
      return new Parsed(Optional.empty(), "condition operator \"" + name + "\" is not an IAM condition operator"
          + other.map(b -> "; did you mean \"" + name.replace(base, b.name()) + "\"?")
              .orElse(" (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null,"
                  + " with IfExists and ForAllValues:/ForAnyValue:)"));
    }
    if (found.get() == Base.Null && (ifExists || set != SetQualifier.NONE)) {
      return new Parsed(Optional.empty(), "condition operator \"" + name + "\": Null takes neither IfExists nor"
          + " a ForAllValues:/ForAnyValue: qualifier");
    }
    return new Parsed(Optional.of(new ConditionOperator(name, found.get().family, found.get().negated, ifExists, set)),
        null);
  }

  @Override
  public String toString() {
    return name;
  }
}
