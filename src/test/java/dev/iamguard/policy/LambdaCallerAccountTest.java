package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.A;
import static dev.iamguard.policy.Fixture.B;
import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.LOADER_PARTNER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Which account's Lambda function a name invokes. Lambda looks a function's name up in the account
 * of the caller, and through a chain the caller is the chain's last role (the Redshift guide's
 * chained CREATE EXTERNAL FUNCTION names {@code exampleLambdaFunction} and reaches it through
 * RoleB of another account): a bare name is the function of the last role's account in the
 * cluster's region; a partial ARN ({@code account:function:name}) and a full ARN keep the account
 * they name. The registry's short-form names mean the same: a function of the role's own account.
 *
 * <p>Every function a test role may invoke, named in every form, through a chain of one account and
 * across two, against both registry forms (short form, IAM documents), with an oracle that resolves
 * the name independently: LAMBDA_NOT_PERMITTED exactly when the resolved function is not one the
 * last role may invoke. Before the change a name was taken to be the cluster's account's function:
 * the Partner role of account B, whose documents allow B's {@code partnerFn}, was refused it, and
 * allowed A's.
 */
class LambdaCallerAccountTest {
  private static final String REGION = "us-west-2";
  /** What each role may invoke (Fixture: Loader in A, Partner in B), as full ARNs. */
  private static final Set<String> LOADER_MAY = Set.of(arn(A, "loaderFn"), arn(B, "sharedFn"));
  private static final Set<String> PARTNER_MAY = Set.of(arn(B, "partnerFn"));

  @TempDir
  Path dir;

  private static String arn(String account, String name) {
    return "arn:aws:lambda:" + REGION + ":" + account + ":function:" + name;
  }

  /** A chain as written, and the account and functions of its last role. */
  private record Chain(String written, String lastAccount, Set<String> lastMay) {}

  /** A function as written, and the full ARN it names when the caller is of {@code callerAccount}. */
  private record Spelling(String written, String account) {
    String resolved(String name, String callerAccount) {
      return arn(account == null ? callerAccount : account, name);
    }
  }

  private static List<Spelling> spellings(String name) {
    return List.of(new Spelling(name, null), new Spelling(A + ":function:" + name, A),
        new Spelling(B + ":function:" + name, B), new Spelling(arn(A, name), A), new Spelling(arn(B, name), B));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Form.class)
  void aFunctionsNameIsLookedUpInTheLastRolesAccount(Fixture.Form form) {
    Registry registry = Fixture.registry(form, dir, "");
    List<Chain> chains = List.of(new Chain(LOADER, A, LOADER_MAY), new Chain(LOADER_PARTNER, B, PARTNER_MAY),
        new Chain("partnerchain", B, PARTNER_MAY));
    int allowed = 0;
    int denied = 0;
    for (Chain chain : chains) {
      for (String name : List.of("loaderFn", "sharedFn", "partnerFn", "otherFn")) {
        for (Spelling spelling : spellings(name)) {
          for (String keyword : List.of("lambda", "LAMBDA", "Lambda")) {
            String sql = "create external function f(int) returns int volatile " + keyword + " '" + spelling.written()
                + "' iam_role '" + chain.written() + "'";
            boolean may = chain.lastMay().contains(spelling.resolved(name, chain.lastAccount()));
            List<RuleId> rules = Fixture.rules(Fixture.inspect(registry, sql));
            assertThat(rules.contains(RuleId.LAMBDA_NOT_PERMITTED)).as("%s (%s)", sql, form).isEqualTo(!may);
            if (may) {
              assertThat(rules).as("%s (%s)", sql, form).isEmpty();
              allowed++;
            } else {
              denied++;
            }
          }
        }
      }
    }
    // Loader: loaderFn by name, partial A and ARN A; sharedFn as partial B and ARN B; Partner: partnerFn
    // by name, partial B and ARN B, through the chain and its name
    assertThat(allowed).isEqualTo(3 * (3 + 2 + 3 + 3));
    assertThat(denied).isEqualTo(3 * 3 * 4 * 5 - allowed);
  }

  /** The name in the denial says which function it took the name for: another account's is shown by its ARN. */
  @ParameterizedTest
  @EnumSource(Fixture.Form.class)
  void aDenialOfANameShowsTheFunctionItResolvedTo(Fixture.Form form) {
    Registry registry = Fixture.registry(form, dir, "");
    for (String name : List.of("loaderFn", "sharedFn", "otherFn")) {
      String sql = "create external function f(int) returns int volatile lambda '" + name + "' iam_role '"
          + LOADER_PARTNER + "'";
      Decision decision = Fixture.inspect(registry, sql);
      assertThat(decision.findings()).as(sql).singleElement().satisfies(finding -> {
        assertThat(finding.rule()).isEqualTo(RuleId.LAMBDA_NOT_PERMITTED);
        assertThat(finding.message().toLowerCase(Locale.ROOT)).contains(arn(B, name).toLowerCase(Locale.ROOT));
      });
    }
  }
}
