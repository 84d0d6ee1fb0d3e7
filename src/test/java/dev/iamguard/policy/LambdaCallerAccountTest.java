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
 * Which account's Lambda function, DynamoDB table or EMR cluster a name means. Lambda looks a function's name up in the account
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

  /**
   * The same for COPY from DynamoDB and EMR: a table's name and a cluster's id are looked up in the
   * caller's account, the chain's last role's. Partner's documents (account B) here allow B's
   * {@code PartnerTable} and {@code j-PARTNER1} and also the cluster account's {@code ClusterTable}
   * and {@code j-CLUSTER1}; Loader's (account A) allow A's {@code Sales*} and {@code j-LOADER1}.
   * Before the change every name was taken to be the cluster account's: Partner was refused its own
   * table and allowed A's. (The short form names tables and clusters without an account.)
   */
  @org.junit.jupiter.api.Test
  void aTableOrClusterIsLookedUpInTheLastRolesAccount() throws Exception {
    Fixture.writeIamDocuments(dir);
    String partnerDocument = java.nio.file.Files.readString(dir.resolve("iam/Partner.permissions.json"));
    String more = """
        {"Effect": "Allow", "Action": ["dynamodb:Scan", "dynamodb:DescribeTable"],
         "Resource": ["arn:aws:dynamodb:us-west-2:%1$s:table/PartnerTable", "arn:aws:dynamodb:us-west-2:%2$s:table/ClusterTable"]},
        {"Effect": "Allow", "Action": "elasticmapreduce:ListInstances",
         "Resource": ["arn:aws:elasticmapreduce:us-west-2:%1$s:cluster/j-PARTNER1", "arn:aws:elasticmapreduce:us-west-2:%2$s:cluster/j-CLUSTER1"]},
        """.formatted(B, A);
    java.nio.file.Files.writeString(dir.resolve("iam/Partner.permissions.json"),
        partnerDocument.replaceFirst("\\[", java.util.regex.Matcher.quoteReplacement("[" + more)));
    Registry registry = Fixture.parse("version: 1\n" + Fixture.CLUSTERS + Fixture.IAM_ROLES + Fixture.CHAINS, dir);
    record Case(String chain, String source, boolean may) {}
    List<Case> cases = new java.util.ArrayList<>();
    for (String chain : List.of(LOADER_PARTNER, "partnerchain")) {
      cases.add(new Case(chain, "dynamodb://PartnerTable", true));
      cases.add(new Case(chain, "dynamodb://ClusterTable", false));
      cases.add(new Case(chain, "dynamodb://SalesEast", false));
      cases.add(new Case(chain, "emr://j-PARTNER1/data/part-*", true));
      cases.add(new Case(chain, "emr://j-CLUSTER1/data/part-*", false));
      cases.add(new Case(chain, "emr://j-LOADER1/data/part-*", false));
    }
    cases.add(new Case(LOADER, "dynamodb://SalesEast", true));
    cases.add(new Case(LOADER, "dynamodb://PartnerTable", false));
    cases.add(new Case(LOADER, "emr://j-LOADER1/data/part-*", true));
    cases.add(new Case(LOADER, "emr://j-PARTNER1/data/part-*", false));
    int denied = 0;
    for (Case c : cases) {
      for (String from : List.of("from", "FROM")) {
        String sql = "copy sales " + from + " '" + c.source() + "' iam_role '" + c.chain() + "'"
            + (c.source().startsWith("dynamodb") ? " readratio 50" : " delimiter '|'");
        List<RuleId> rules = Fixture.rules(Fixture.inspect(registry, sql));
        assertThat(rules.contains(RuleId.SOURCE_NOT_PERMITTED)).as(sql).isEqualTo(!c.may());
        if (c.may()) {
          assertThat(rules).as(sql).isEmpty();
        } else {
          denied++;
        }
      }
    }
    assertThat(denied).isEqualTo(2 * (2 * 4 + 2));
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
