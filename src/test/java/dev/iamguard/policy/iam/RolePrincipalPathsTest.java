package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A trust policy naming the calling role under another path ({@code role/RoleA} for a caller
 * {@code role/etl/RoleA}). IAM keeps a role principal as the role's unique id, found when the
 * policy is saved; role names are unique in an account whatever the path, and whether IAM
 * refuses, or resolves to the role, an ARN whose path is not the role's is not documented. So the
 * guard may not decide it either way: a Deny naming the role under
 * any path is taken to apply, an Allow naming it under another path is not counted.
 *
 * <p>Generated: 5 pairs of paths (and name case) x (Deny with Principal beside an account Allow,
 * Allow with NotPrincipal, Allow with Principal) x 3 principal spellings (string, list, list
 * beside another role).
 */
class RolePrincipalPathsTest {
  private static final String ACCOUNT = "111122223333";

  /** {written in the policy, the caller}: the same role (name ignoring case) under different paths. */
  private static final List<String[]> PAIRS = List.of(
      new String[] {"role/RoleA", "role/etl/RoleA"},
      new String[] {"role/etl/RoleA", "role/RoleA"},
      new String[] {"role/a/b/RoleA", "role/a/RoleA"},
      new String[] {"role/ETL/rolea", "role/etl/RoleA"},
      new String[] {"role/x/RoleA", "role/y/ROLEA"});

  static Stream<Arguments> pairs() {
    List<Arguments> all = new ArrayList<>();
    for (String[] pair : PAIRS) {
      String named = "arn:aws:iam::" + ACCOUNT + ":" + pair[0];
      for (String spelled : List.of("\"" + named + "\"", "[\"" + named + "\"]",
          "[\"arn:aws:iam::" + ACCOUNT + ":role/Other\", \"" + named + "\"]")) {
        all.add(Arguments.of(spelled, "arn:aws:iam::" + ACCOUNT + ":" + pair[1]));
      }
    }
    return all.stream();
  }

  private static IamDecision trust(String statements, String caller) throws IamPolicyException {
    IamPolicy policy = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}", "t.json");
    return policy.decideTrust(new TrustRequest(new TrustRequest.RoleCaller(RoleArn.of(caller)), "sts:AssumeRole",
        Map.of()));
  }

  @ParameterizedTest(name = "Deny {0} for {1}")
  @MethodSource("pairs")
  void aDenyNamingTheRoleUnderAnotherPathIsTakenToApply(String principal, String caller) throws Exception {
    IamDecision d = trust("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::" + ACCOUNT + ":root\"},"
        + " \"Action\": \"sts:AssumeRole\"}, {\"Sid\": \"NoA\", \"Effect\": \"Deny\", \"Principal\": {\"AWS\": "
        + principal + "}, \"Action\": \"sts:AssumeRole\"}", caller);

    assertThat(d.effect()).isEqualTo(IamEffect.DENY);
    assertThat(d.conservative()).singleElement().satisfies(c -> assertThat(c.describe())
        .contains("statement \"NoA\"").contains("another path").contains("Deny is taken to apply"));
  }

  /**
   * Was "not counted" (IMPLICIT_DENY); since probe 23a F2 an Allow with NotPrincipal is a load
   * error (IAM User Guide, NotPrincipal: "Using it with "Effect":"Allow" is not supported").
   */
  @ParameterizedTest(name = "Allow NotPrincipal {0} for {1}")
  @MethodSource("pairs")
  void anAllowWithNotPrincipalIsRefusedWhateverItNames(String principal, String caller) {
    org.junit.jupiter.api.Assertions.assertThrows(IamPolicyException.class, () -> trust("{\"Effect\": \"Allow\","
        + " \"NotPrincipal\": {\"AWS\": " + principal + "}, \"Action\": \"sts:AssumeRole\"}", caller));
  }

  @ParameterizedTest(name = "Allow {0} for {1}")
  @MethodSource("pairs")
  void anAllowNamingTheRoleUnderAnotherPathIsNotCounted(String principal, String caller) throws Exception {
    IamDecision d = trust("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": " + principal + "},"
        + " \"Action\": \"sts:AssumeRole\"}", caller);

    assertThat(d.effect()).isEqualTo(IamEffect.IMPLICIT_DENY);
  }

  @ParameterizedTest(name = "exact {0}")
  @MethodSource("pairs")
  void theSamePathDecidesSurely(String principal, String caller) throws Exception {
    String exact = principal.replaceAll("role/[^\"]*RoleA|role/[^\"]*rolea", caller.substring(caller.indexOf("role/")));
    IamDecision deny = trust("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::" + ACCOUNT + ":root\"},"
        + " \"Action\": \"sts:AssumeRole\"}, {\"Effect\": \"Deny\", \"Principal\": {\"AWS\": " + exact + "},"
        + " \"Action\": \"sts:AssumeRole\"}", caller);
    IamDecision allow = trust("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": " + exact + "},"
        + " \"Action\": \"sts:AssumeRole\"}", caller);

    assertThat(deny.effect()).as(exact).isEqualTo(IamEffect.DENY);
    assertThat(deny.conservativeUsed()).isFalse();
    assertThat(allow.effect()).as(exact).isEqualTo(IamEffect.ALLOW);
  }
}
