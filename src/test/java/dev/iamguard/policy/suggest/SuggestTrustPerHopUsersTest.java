package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.TrustRequest;
import dev.iamguard.policy.registry.DbUsers;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A trust policy's {@code sts:ExternalId} condition names, for each caller, the database users who
 * reach the role through that caller, and no other: Redshift for the users who start a chain at the
 * role, each role before it for the users who run a chain with that hop. The Management Guide,
 * "Restricting access to IAM roles"
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service-database-users.html),
 * limits who may use a role by listing the database users in {@code sts:ExternalId}, and "Chaining IAM
 * roles in Amazon Redshift"
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service-chaining-roles.html)
 * says a condition restricts role chaining to specific users: a user who runs the role
 * only after another role needs no trust from Redshift itself, and a user who reaches it only through
 * role A needs no trust through role C.
 *
 * <p>Generated: 200 seeded scripts of up to 8 COPY statements by 2 to 4 users (SET SESSION
 * AUTHORIZATION), over chains of 1 to 3 roles drawn from 4 roles of 2 accounts, so that roles start
 * some chains and sit inside others and the users share some hops and not others. Each trust policy,
 * read by iamguard's IAM evaluator, is asked about every (caller, user) pair: allowed exactly when a
 * statement of the script makes that request. One statement listing every user of the role for
 * every caller (as before) let Redshift assume a role directly for a user who only reaches it inside
 * a chain, and role C pass it a user who only comes through role A (cross-checked with the
 * open-source simulator {@code @cloud-copilot/iam-simulate}, /work/notes/fyD-harness).
 */
class SuggestTrustPerHopUsersTest {
  private static final String ACCOUNT = "123456789012";
  private static final List<RoleArn> ROLES = List.of(RoleArn.of("arn:aws:iam::" + ACCOUNT + ":role/Loader"),
      RoleArn.of("arn:aws:iam::" + ACCOUNT + ":role/etl/Hop"), RoleArn.of("arn:aws:iam::210987654321:role/Partner"),
      RoleArn.of("arn:aws:iam::210987654321:role/Reader"));
  private static final List<String> USERS = List.of("etl", "loader", "bob", "ana");

  static IntStream seeds() {
    return IntStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void eachCallerIsTrustedForTheUsersWhoComeThroughItAndNoOther(int seed) throws Exception {
    Random random = new Random(seed);
    List<String> users = new ArrayList<>(USERS.subList(0, 2 + random.nextInt(3)));
    StringBuilder script = new StringBuilder();
    // expected: caller ("redshift" or a role's ARN) and role -> the users who make that request
    Map<String, Set<String>> expected = new HashMap<>();
    for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
      String user = users.get(random.nextInt(users.size()));
      List<RoleArn> chain = new ArrayList<>();
      for (int j = 0, length = 1 + random.nextInt(3); j < length; j++) {
        RoleArn next = ROLES.get(random.nextInt(ROLES.size()));
        if (!chain.contains(next)) {
          chain.add(next);
        }
      }
      script.append("set session authorization '").append(user).append("';\ncopy t").append(i)
          .append(" from 's3://acme-data/in/' iam_role '")
          .append(String.join(",", chain.stream().map(RoleArn::toString).toList())).append("';\n");
      expected.computeIfAbsent("redshift " + chain.get(0), k -> new HashSet<>()).add(user);
      for (int j = 1; j < chain.size(); j++) {
        expected.computeIfAbsent(chain.get(j - 1) + " " + chain.get(j), k -> new HashSet<>()).add(user);
      }
    }
    Suggestion suggestion = suggest(script.toString(), users);
    assertThat(suggestion.gaps()).as(script.toString()).isEmpty();
    for (SuggestedRole role : suggestion.roles()) {
      IamPolicy trust = IamPolicy.parse(IamDocumentsTest.json(IamDocuments.of(role, suggestion.cluster()).trust()),
          role.roleName() + ".trust.json");
      for (String user : USERS) {
        String dbUser = DbUsers.arn(suggestion.cluster(), user);
        boolean fromRedshift = expected.getOrDefault("redshift " + role.arn(), Set.of()).contains(user);
        assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", dbUser)) == IamEffect.ALLOW)
            .as("Redshift assumes %s for %s\n%s", role.arn(), user, script).isEqualTo(fromRedshift);
        for (RoleArn caller : ROLES) {
          boolean through = expected.getOrDefault(caller + " " + role.arn(), Set.of()).contains(user);
          assertThat(trust.evaluateTrust(TrustRequest.fromRole(caller, dbUser)) == IamEffect.ALLOW)
              .as("%s assumes %s for %s\n%s", caller, role.arn(), user, script).isEqualTo(through);
        }
      }
    }
  }

  private static Suggestion suggest(String script, List<String> users) {
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", ACCOUNT, "us-west-2", null,
        users, 0));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("generated.sql", statement);
    }
    return needs.suggestion();
  }
}
