package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Lambda function named with a version or alias ({@code LAMBDA 'fn:prod'}) is invoked as the
 * qualified ARN {@code function:fn:prod}. Whether a Deny on the unqualified function
 * ({@code function:fn}) also stops it could not be confirmed from the Lambda or IAM documentation,
 * so the guard takes it to apply. An Allow is asked about the qualified ARN only, as before (no
 * new denial for a policy that allows {@code function:fn:*}).
 *
 * <p>Generated: 4 qualifiers x 3 ways to name the function (name, partial ARN, full ARN).
 */
class LambdaQualifierDenyTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/RoleA";
  private static final String FN = "arn:aws:lambda:us-west-2:123456789012:function:fn";

  @TempDir Path dir;

  private Guard guard(String statements) throws Exception {
    return new Guard(DocumentRoleRegistry.of(ROLE, statements, dir));
  }

  static Stream<Arguments> qualified() {
    List<Arguments> all = new ArrayList<>();
    for (String qualifier : List.of("prod", "1", "$LATEST", "v2_blue")) {
      for (String named : List.of("fn:" + qualifier, "123456789012:function:fn:" + qualifier, FN + ":" + qualifier)) {
        all.add(Arguments.of(named, qualifier));
      }
    }
    return all.stream();
  }

  private static boolean allowed(Guard guard, String function) {
    return guard.inspect("create external function f(int) returns int volatile lambda '" + function + "' iam_role '"
        + ROLE + "'", Session.of("u", "c1")).findings().isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("qualified")
  void aDenyOnTheUnqualifiedFunctionIsTakenToApply(String named, String qualifier) throws Exception {
    String allowAll = "{Effect: Allow, Action: \"lambda:InvokeFunction\", Resource: \"*\"}";

    assertThat(allowed(guard(allowAll + ", {Effect: Deny, Action: \"lambda:*\", Resource: \"" + FN + "\"}"), named))
        .isFalse();
    assertThat(allowed(guard(allowAll + ", {Effect: Deny, Action: \"lambda:*\", Resource: \"" + FN + ":" + qualifier
        + "\"}"), named)).isFalse();
    assertThat(allowed(guard(allowAll + ", {Effect: Deny, Action: \"lambda:*\", Resource: \"" + FN + "x\"}"), named))
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("qualified")
  void anAllowIsAskedAboutTheQualifiedFunction(String named, String qualifier) throws Exception {
    assertThat(allowed(guard("{Effect: Allow, Action: \"lambda:InvokeFunction\", Resource: \"" + FN + ":*\"}"), named))
        .isTrue();
    assertThat(allowed(guard("{Effect: Allow, Action: \"lambda:InvokeFunction\", Resource: \"" + FN + "\"}"), named))
        .isFalse();
  }
}
