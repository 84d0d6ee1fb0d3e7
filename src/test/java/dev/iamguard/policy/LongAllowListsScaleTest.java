package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A registry whose lists are long: a role allowed 50,000 Lambda functions, Glue databases or
 * DynamoDB tables, a cluster with 100,000 attached roles. Every statement naming one of them
 * compared it with each entry of its list, so a script naming each once was quadratic ({@code
 * registry validate} and {@code access} ask the same questions): each of these scripts exceeded
 * its 30 s hang guard. The timeouts are hang guards against that growth, not time budgets: each
 * script takes one to five seconds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LongAllowListsScaleTest {
  private static final int N = 50_000;
  private static final String ROLE = "arn:aws:iam::123456789012:role/R";

  private static String list(String prefix, IntFunction<String> entry) {
    StringBuilder yaml = new StringBuilder(prefix).append(":\n");
    for (int i = 0; i < N; i++) {
      yaml.append("        - ").append(entry.apply(i)).append('\n');
    }
    return yaml.toString();
  }

  private static Registry registry(String attached, String roleAllow, String moreRoles) throws Exception {
    String yaml = "version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n    region: us-east-1\n"
        + "    attached_roles: " + attached + "\nroles:\n  - arn: " + ROLE + "\n    allow:\n      " + roleAllow + moreRoles
        + "grants:\n  - on: [ALL]\n    to: [PUBLIC]\n    for: [ALL]\n";
    return RegistryLoader.parse(yaml, "long-lists.yaml", Path.of("."));
  }

  /** Runs {@code n} statements, the even ones naming a listed resource: those alone pass {@code rule}. */
  private static void check(Registry registry, IntFunction<String> statement, RuleId rule) {
    check(registry, N, statement, rule);
  }

  private static void check(Registry registry, int n, IntFunction<String> statement, RuleId rule) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < 2 * n; i += 2) {
      sql.append(statement.apply(i)).append(";\n").append(statement.apply(i + 1)).append(";\n");
    }
    List<StatementDecision> statements = new Guard(registry).inspect(sql.toString(), Session.of("u1", null)).statements();

    assertThat(statements).hasSize(2 * n);
    for (int i = 0; i < 2 * n; i++) {
      boolean denied = statements.get(i).allFindings().stream().anyMatch(f -> f.rule() == rule);
      if (denied != (i % 2 == 1)) {
        throw new AssertionError("statement " + i + " " + (denied ? "denied" : "not denied") + " by " + rule
            + ": " + statements.get(i).allFindings());
      }
    }
  }

  @Test
  void aRoleOfManyLambdaFunctions() throws Exception {
    Registry registry = registry("[" + ROLE + "]", list("lambda", i -> "fn" + 2 * i), "");
    check(registry, i -> "create external function f" + i + "(int) returns int volatile lambda 'fn" + i
        + "' iam_role '" + ROLE + "'", RuleId.LAMBDA_NOT_PERMITTED);
  }

  @Test
  void aRoleOfManyGlueDatabases() throws Exception {
    Registry registry = registry("[" + ROLE + "]", list("glue_databases", i -> "db" + 2 * i), "");
    check(registry, i -> "create external schema s" + i + " from data catalog database 'DB" + i + "' iam_role '" + ROLE
        + "'", RuleId.CATALOG_NOT_PERMITTED);
  }

  @Test
  void aRoleOfManyDynamoDbTables() throws Exception {
    Registry registry = registry("[" + ROLE + "]", list("dynamodb_tables", i -> "table" + 2 * i), "");
    check(registry, i -> "copy t from 'dynamodb://table" + i + "' iam_role '" + ROLE + "' readratio 50",
        RuleId.SOURCE_NOT_PERMITTED);
  }

  /**
   * The roles are attached but not described: whether each is attached is all that is asked here.
   * Twice as many as above, since roles are cheaper to compare than names to match (a quarter of
   * them took 15 s compared one by one, 4 s looked up).
   */
  @Test
  void aClusterOfManyAttachedRoles() throws Exception {
    int n = 2 * N;
    StringBuilder attached = new StringBuilder("[");
    for (int i = 0; i < 2 * n; i += 2) {
      attached.append(i == 0 ? "" : ", ").append(ROLE).append(i);
    }
    Registry registry = registry(attached.append("]").toString(), "s3_read: [\"s3://bkt/\"]\n", "");
    check(registry, n, i -> "copy t from 's3://bkt/x/' iam_role '" + ROLE + i + "'", RuleId.ROLE_NOT_ATTACHED);
  }
}
