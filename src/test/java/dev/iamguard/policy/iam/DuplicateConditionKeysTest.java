package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One condition key written twice in one operator block, in different letter case (probe 23a
 * F3). IAM: "Condition key names are not case-sensitive"; Access Analyzer: "Error – Duplicate keys
 * with different case". Read as two keys they were AND'ed, so a Deny naming two values never
 * applied. Such a block is a load error in every statement the guard evaluates.
 *
 * <p>Generated: 5 key spellings x 6 operators x (Deny, Allow) x (trust, permission policy).
 */
class DuplicateConditionKeysTest {

  /** {as first written, the same key in another case, a value both may take}. */
  private static final List<String[]> KEYS = List.of(
      new String[] {"aws:PrincipalType", "aws:principaltype", "AssumedRole"},
      new String[] {"aws:SourceAccount", "AWS:SourceAccount", "123456789012"},
      new String[] {"s3:prefix", "S3:Prefix", "data/"},
      new String[] {"aws:PrincipalTag/Team", "aws:principaltag/team", "etl"},
      new String[] {"sts:ExternalId", "STS:EXTERNALID", "x"});
  private static final List<String> OPERATORS = List.of("StringEquals", "StringNotEquals", "StringLike",
      "ForAnyValue:StringEquals", "StringEqualsIfExists", "Null");

  static Stream<Arguments> blocks() {
    List<Arguments> all = new ArrayList<>();
    for (String[] key : KEYS) {
      for (String operator : OPERATORS) {
        for (String effect : List.of("Deny", "Allow")) {
          for (boolean trust : List.of(true, false)) {
            all.add(Arguments.of(key[0], key[1], operator.equals("Null") ? "true" : key[2], operator, effect, trust));
          }
        }
      }
    }
    return all.stream();
  }

  private static String document(String effect, boolean trust, String condition) {
    String head = trust ? "\"Principal\": \"*\", \"Action\": \"sts:AssumeRole\""
        : "\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"";
    return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"" + effect + "\", " + head
        + ", \"Condition\": " + condition + "}]}";
  }

  @ParameterizedTest(name = "{3} {0} / {1}, {4}, trust {5}")
  @MethodSource("blocks")
  void aKeyWrittenTwiceInDifferentCaseInOneBlockIsALoadError(String key, String other, String value,
      String operator, String effect, boolean trust) {
    String condition = "{\"" + operator + "\": {\"" + key + "\": \"" + value + "\", \"" + other + "\": \"" + value + "\"}}";
    IamPolicyException e = assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse(document(effect, trust, condition), "d.json"));

    assertThat(e.getMessage()).isEqualTo("d.json: statement 1, line 1: " + operator + " names condition key \""
        + other + "\" and \"" + key + "\" (line 1): condition key names are not case-sensitive, so this is one key"
        + " written twice; write it once with all its values");
  }

  @ParameterizedTest(name = "{3} {0} / {1}, {4}, trust {5}")
  @MethodSource("blocks")
  void theSameKeyInTwoOperatorBlocksIsTwoConditions(String key, String other, String value, String operator,
      String effect, boolean trust) throws IamPolicyException {
    String second = operator.equals("Null") ? "StringEquals" : "Null";
    String condition = "{\"" + operator + "\": {\"" + key + "\": \"" + value + "\"}, \"" + second + "\": {\""
        + other + "\": \"" + (second.equals("Null") ? "false" : value) + "\"}}";

    assertThat(IamPolicy.parse(document(effect, trust, condition), "d.json")).isNotNull();
  }

  /** Exact duplicates, of a key or of an operator, and an operator in another case, were refused already. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"StringEquals": {"aws:PrincipalType": "User", "aws:PrincipalType": "AssumedRole"}} | duplicate key "aws:PrincipalType"
      {"StringEquals": {"aws:PrincipalType": "User"}, "StringEquals": {"aws:SourceAccount": "1"}} | duplicate key "StringEquals"
      {"StringEquals": {"aws:PrincipalType": "User"}, "stringEquals": {"aws:PrincipalType": "AssumedRole"}} | did you mean "StringEquals"?
      {"ForAnyValue:StringLike": {"s3:prefix": "a"}, "forAnyValue:StringLike": {"s3:prefix": "b"}} | is not an IAM condition operator
      """)
  void exactDuplicatesAndOperatorsInAnotherCaseAreLoadErrors(String condition, String message) {
    for (String effect : List.of("Deny", "Allow")) {
      IamPolicyException e = assertThrows(IamPolicyException.class,
          () -> IamPolicy.parse(document(effect, false, condition), "d.json"));
      assertThat(e.getMessage()).as(effect).contains(message);
    }
  }
}
