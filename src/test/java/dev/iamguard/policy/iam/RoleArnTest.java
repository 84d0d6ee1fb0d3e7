package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoleArnTest {

  @Test
  void exposesItsParts() {
    RoleArn arn = RoleArn.of("arn:aws-us-gov:iam::123456789012:role/service-role/etl/Loader+v2");

    assertThat(arn.partition()).isEqualTo("aws-us-gov");
    assertThat(arn.account()).isEqualTo("123456789012");
    assertThat(arn.path()).isEqualTo("/service-role/etl/");
    assertThat(arn.name()).isEqualTo("Loader+v2");
    assertThat(arn).hasToString("arn:aws-us-gov:iam::123456789012:role/service-role/etl/Loader+v2");
    assertThat(arn.accountRoot()).isEqualTo("arn:aws-us-gov:iam::123456789012:root");
  }

  /**
   * The parse cache answers every text with that text's own parse, whatever other texts share its
   * slot of the recent parses: near-identical ARNs (one char apart, case apart, same length, same
   * ends), malformed ones and short texts, asked in shuffled rounds from fresh copies.
   */
  @Test
  void theCacheAnswersEachTextWithItsOwnParse() {
    java.util.List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String account = String.format("%012d", 123456789012L - i % 7);
      texts.add("arn:aws:iam::" + account + ":role/Role" + (char) ('A' + i % 26) + i % 13);
      texts.add("arn:aws:iam::" + account + ":role/p" + i % 5 + "/role" + (char) ('a' + i % 26) + i % 13);
      texts.add("arn:aws:iam::" + account + ":role/Role" + i % 3 + " ");
      texts.add(("arn:aws:iam::" + account + ":root").substring(0, 10 + i % 20));
    }
    texts.addAll(java.util.List.of("", "a", "ab", "abc", "arn", "arn:"));
    java.util.Random random = new java.util.Random(17);
    for (int round = 0; round < 3; round++) {
      java.util.Collections.shuffle(texts, random);
      for (String text : texts) {
        String fresh = new String(text.toCharArray());
        RoleArn.Parsed parsed = RoleArn.parse(fresh);
        assertThat(parsed.input()).isEqualTo(text);
        assertThat(parsed).isEqualTo(RoleArn.parseUncached(text));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "arn:aws:iam::123456789012:role/RoleA",
      "arn:aws-cn:iam::123456789012:role/a",
      "arn:aws-iso-b:iam::123456789012:role/x_y=z,w.v@u-t",
      "arn:aws:iam::123456789012:role/p/q/RoleWithAVeryLongNameThatIsExactly64CharactersLong0123456789",
  })
  void acceptsValidArnsAndPrintsThemBack(String text) {
    assertThat(RoleArn.parse(text).arn()).get().hasToString(text);
    assertThat(RoleArn.parseUncached(text)).isEqualTo(RoleArn.parse(text));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|role ARN is empty",
      "RoleA|does not start with \"arn:\"",
      "arn:aws:iam::role/RoleA|account id missing",
      "arn:aws:iam:::role/RoleA|account id missing",
      "arn:aws:iam::0123456789012:role/RoleA|account id must be 12 digits, got 13: 0123456789012",
      "arn:aws:iam::<aws-account-id-1>:role/RoleA|account id must be 12 digits, got \"<aws-account-id-1>\"",
      "arn:aws:iam:RoleA|expected arn:{partition}:iam::{account}:role/{name}, found 4 of its 6 colon-separated fields",
      "arn:amazon:iam::123456789012:role/RoleA|partition must be aws, aws-cn, aws-us-gov or another aws-* partition, got \"amazon\"",
      "arn:aws:sts::123456789012:assumed-role/RoleA/s|service must be \"iam\", got \"sts\"",
      "arn:aws:iam:us-east-1:123456789012:role/RoleA|region must be empty in an IAM ARN, got \"us-east-1\"",
      "arn:aws:iam::123456789012:root|this is an account root, not a role",
      "arn:aws:iam::123456789012:user/bob|resource must be role/{name}, got \"user/bob\"",
      "arn:aws:iam::123456789012:role/|role name missing",
      "arn:aws:iam::123456789012:role/Role A|role name \"Role A\" may only hold letters, digits and + = , . @ _ -",
      "arn:aws:iam::123456789012:role/Role*|role name \"Role*\" may only hold letters, digits and + = , . @ _ -",
      "arn:aws:iam::123456789012:role/a b/RoleA|path \"/a b/\" must be / or /{segments}/ of printable ASCII without spaces",
      "arn:aws:iam::123456789012:role//RoleA|path \"//\" must be / or /{segments}/ of printable ASCII without spaces",
  })
  void explainsWhyATextIsNotARoleArn(String text, String reason) {
    RoleArn.Parsed parsed = RoleArn.parse(text);

    assertThat(parsed.arn()).isEmpty();
    assertThat(parsed.problem()).contains(reason);
    // the cache is transparent: the reason computed afresh is the same
    assertThat(RoleArn.parseUncached(text)).isEqualTo(parsed);
  }

  @Test
  void limitsNameAndPathLength() {
    String name65 = "n".repeat(65);
    String path = "/" + "p".repeat(511) + "/";

    assertThat(RoleArn.parse("arn:aws:iam::123456789012:role/" + name65).problem())
        .contains("role name must be at most 64 characters, got 65");
    assertThat(RoleArn.parse("arn:aws:iam::123456789012:role" + path + "r").problem())
        .contains("path must be at most 512 characters, got 513");
    assertThat(RoleArn.parseUncached("arn:aws:iam::123456789012:role/" + name65.substring(1)).problem()).isEmpty();
    assertThat(RoleArn.parseUncached("arn:aws:iam::123456789012:role/" + name65).problem())
        .contains("role name must be at most 64 characters, got 65");
    assertThat(RoleArn.parseUncached("arn:aws:iam::123456789012:role/" + "p".repeat(510) + "/r").problem()).isEmpty();
    assertThat(RoleArn.parseUncached("arn:aws:iam::123456789012:role" + path + "r").problem())
        .contains("path must be at most 512 characters, got 513");
  }

  @Test
  void ofThrowsWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RoleArn.of("arn:aws:iam::role/RoleA"));

    assertThat(e).hasMessage("not a role ARN: \"arn:aws:iam::role/RoleA\": account id missing");
  }

  @Test
  void roleNamesCompareIgnoringCaseEverythingElseExactly() {
    RoleArn a = RoleArn.of("arn:aws:iam::123456789012:role/RoleA");

    assertThat(RoleArn.of("arn:aws:iam::123456789012:role/rolea")).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(RoleArn.of("arn:aws:iam::123456789012:role/x/RoleA")).isNotEqualTo(a);
    assertThat(RoleArn.of("arn:aws:iam::123456789013:role/RoleA")).isNotEqualTo(a);
    assertThat(RoleArn.of("arn:aws-cn:iam::123456789012:role/RoleA")).isNotEqualTo(a);
    assertThat(RoleArn.of("arn:aws:iam::123456789012:role/x/ROLEA").sameRoleAs(a)).isTrue();
  }

  @Test
  void splitsChainsOnlyBeforeArn() {
    assertThat(RoleArn.splitChain(
        "arn:aws:iam::123456789012:role/a,b,arn:aws:iam::210987654321:role/RoleB"))
        .containsExactly("arn:aws:iam::123456789012:role/a,b", "arn:aws:iam::210987654321:role/RoleB");
    assertThat(RoleArn.splitChain("arn:aws:iam::123456789012:role/a,"))
        .containsExactly("arn:aws:iam::123456789012:role/a,");
    assertThat(RoleArn.splitChain("x")).containsExactly("x");
    // a chain opening with a comma has an empty first role, which the chain format rule reports
    assertThat(RoleArn.splitChain(",arn:aws:iam::123456789012:role/a"))
        .containsExactly("", "arn:aws:iam::123456789012:role/a");
  }

  @Test
  void noTextIsAnEmptyRoleArn() {
    RoleArn.Parsed parsed = RoleArn.parse(null);

    assertThat(parsed.arn()).isEmpty();
    assertThat(parsed.problem()).contains("role ARN is empty");
    assertThat(RoleArn.parse("").problem()).contains("role ARN is empty");
  }

  @Test
  void hashCodesFollowEqualityAndSpreadOverDistinctRoles() {
    java.util.Set<Integer> hashes = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      RoleArn arn = RoleArn.of("arn:aws:iam::123456789012:role/Role" + i);
      assertThat(arn.hashCode()).isEqualTo(RoleArn.of("arn:aws:iam::123456789012:role/ROLE" + i).hashCode());
      hashes.add(arn.hashCode());
    }
    // a hash table of roles (the registry's lookups) would degrade to a list otherwise
    assertThat(hashes).hasSizeGreaterThan(190);
  }

  @Test
  void recognisesAccountIds() {
    assertThat(RoleArn.isAccountId("123456789012")).isTrue();
    assertThat(RoleArn.isAccountId("12345678901")).isFalse();
    assertThat(RoleArn.isAccountId("12345678901x")).isFalse();
  }
}
