package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A registry role whose ARN holds a comma (in its name or path), reached through an alias, a chain name or
 * {@code IAM_ROLE DEFAULT}, is a gap of suggest, never a grant: Redshift splits a chain at its commas, so
 * {@code GRANT ASSUMEROLE ON '...role/x,arn:aws:iam::999999999999:role/Evil'} grants another chain (here one
 * ending in a role of another account) than the one the scripts use. Without the fix, suggest wrote that
 * grant and exited 0.
 */
class SuggestCommaRoleTest {
  private static final String ACCOUNT = "123456789012";

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String role : List.of("role/x,arn:aws:iam::999999999999:role/Evil", "role/R,", "role/a,,b/R", "role/a,b",
        "role/,R")) {
      for (String value : List.of("'sneaky'", "DEFAULT", "'sneakychain'")) {
        all.add(Arguments.of("arn:aws:iam::" + ACCOUNT + ":" + role, value));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void isAGapAndNoGrantNamesIt(String arn, String value) throws Exception {
    assertThat(RoleArn.parse(arn).arn()).as("a valid role ARN").isPresent();
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, "version: 1\nclusters:\n  - id: c1\n    account: \"" + ACCOUNT + "\"\n"
        + "    region: us-west-2\n    attached_roles: [\"" + arn + "\"]\n    default_role: \"" + arn + "\"\n"
        + "roles:\n  - arn: \"" + arn + "\"\n    alias: sneaky\n    trust:\n      regions: [\"*\"]\n"
        + "    allow:\n      s3_read: [\"s3://bkt/\"]\n"
        + "chains:\n  sneakychain: [\"" + arn + "\"]\n"
        + "policy:\n  rewrite_aliases: true\n  rewrite_default_role: true\n");

    CliRun run = CliRun.withStdin("copy t from 's3://bkt/k' iam_role " + value + ";\n", "suggest", "--registry",
        registry.toString(), "--user", "u", "--format", "sql", "-");

    if (value.equals("DEFAULT")) {
      // the gap leaves the default role unattached in the suggested registry, which is then refused (exit 2),
      // as for a default role holding a quote: nothing is suggested either way
      assertThat(run.code()).as(run.out() + run.err()).isIn(1, 2);
    } else {
      assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.err()).contains("a comma");
    }
    List<SqlStatement> grants = SqlScript.parse(run.out()).statements();
    assertThat(grants).as(run.out()).isEmpty();
  }
}
