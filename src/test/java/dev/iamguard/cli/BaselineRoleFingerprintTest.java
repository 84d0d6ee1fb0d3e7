package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A baseline entry accepts a finding about the role it was written for, not another one (review
 * finding 3): a finding about a location, source, function or catalog database that a role may not
 * use names the role too. After the registry points the alias {@code copy-unload} and the cluster's
 * default role at AdminX, the findings of statements naming the role by alias or DEFAULT are new; a
 * statement that writes the role's ARN still names the same role, and its entry still accepts it. For
 * every rule that judges a role's permissions on something else, and each way of naming the role.
 */
class BaselineRoleFingerprintTest {
  private static final String COPY_UNLOAD = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";

  @TempDir
  Path dir;
  private Path repointed;

  /** samples/registry.yaml with the alias and the default role moved to AdminX, which may touch none of it. */
  @BeforeEach
  void registries() throws IOException {
    String registry = Files.readString(Path.of("samples/registry.yaml"));
    String moved = replace(registry, "      - " + COPY_UNLOAD + "\n    default_role: " + COPY_UNLOAD,
        "      - " + COPY_UNLOAD + "\n      - arn:aws:iam::123456789012:role/AdminX\n"
            + "    default_role: arn:aws:iam::123456789012:role/AdminX");
    moved = replace(moved, "    alias: copy-unload\n", "");
    moved = replace(moved, "  - arn: arn:aws:iam::123456789012:role/RoleA\n", "  - arn: arn:aws:iam::123456789012:role/AdminX\n"
        + "    alias: copy-unload\n    trust:\n      regions: [us-west-2]\n      db_users:\n"
        + "        - arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1\n"
        + "    allow:\n      s3_read: [\"s3://other/\"]\n      s3_write: [\"s3://other/\"]\n"
        + "  - arn: arn:aws:iam::123456789012:role/RoleA\n");
    moved = replace(moved, "  - on: [" + COPY_UNLOAD + "]", "  - on: [" + COPY_UNLOAD + ", arn:aws:iam::123456789012:role/AdminX]");
    repointed = dir.resolve("repointed.yaml");
    Files.writeString(repointed, moved);
  }

  private static String replace(String text, String what, String with) {
    assertThat(text).contains(what);
    return text.replace(what, with);
  }

  static List<String[]> rules() {
    return List.of(
        new String[] {"S3_NOT_PERMITTED", "copy t from 's3://acmedata/exports/x' iam_role %s"},
        new String[] {"S3_NOT_PERMITTED", "unload ('select 1') to 's3://acmedata/exports/x_' iam_role %s"},
        new String[] {"SOURCE_NOT_PERMITTED", "copy t from 'dynamodb://orders' iam_role %s readratio 50"},
        new String[] {"LAMBDA_NOT_PERMITTED",
            "create external function f(int) returns int volatile lambda 'otherFunction' iam_role %s"},
        new String[] {"CATALOG_NOT_PERMITTED", "create external schema s from data catalog database 'otherdb' iam_role %s"});
  }

  /** How the statement names the role, and whether repointing the alias and default changes the role. */
  static List<String[]> roleForms() {
    List<String[]> forms = new ArrayList<>(List.of(new String[] {"'copy-unload'", "moved"}, new String[] {"default", "moved"},
        new String[] {"'" + COPY_UNLOAD + "'", "same"}, new String[] {"/* old: 'copy-unload' */ '" + COPY_UNLOAD + "'", "same"}));
    // The ARN in a comment beside an alias or DEFAULT names no role: the finding is about whatever
    // the alias or default names, so repointing them makes it new (the ARN anywhere in the text kept
    // the role-free fingerprint).
    for (String name : new String[] {"'copy-unload'", "default", "DEFAULT", "'COPY-UNLOAD'"}) {
      forms.add(new String[] {name + " /* " + COPY_UNLOAD + " */", "moved"});
      forms.add(new String[] {"/* '" + COPY_UNLOAD + "' */ " + name, "moved"});
      forms.add(new String[] {name + " -- " + COPY_UNLOAD + "\n", "moved"});
      forms.add(new String[] {name + " -- was '" + COPY_UNLOAD.toLowerCase(java.util.Locale.ROOT) + "', see ticket 42\n", "moved"});
      forms.add(new String[] {name + " /* nested /* " + COPY_UNLOAD + " */ still comment */", "moved"});
      // both roles in a comment: the only way a baseline written with this code itself kept accepting
      forms.add(new String[] {name + " /* " + COPY_UNLOAD + " until AdminX: arn:aws:iam::123456789012:role/AdminX */", "moved"});
      forms.add(new String[] {"-- '" + COPY_UNLOAD + "', later 'arn:aws:iam::123456789012:role/AdminX'\n" + name, "moved"});
    }
    return forms;
  }

  static Stream<Arguments> rulesByRoleForms() {
    List<Arguments> all = new ArrayList<>();
    for (String[] rule : rules()) {
      for (String[] form : roleForms()) {
        all.add(Arguments.of(rule[0], rule[1].formatted(form[0]), form[1].equals("moved")));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rulesByRoleForms")
  void anEntryAcceptsTheFindingOfItsOwnRoleOnly(String rule, String statement, boolean moved) throws IOException {
    Path script = dir.resolve("s.sql");
    Files.writeString(script, statement + ";\n");
    Path baseline = dir.resolve("b.json");
    CliRun write = check("samples/registry.yaml", script, "--write-baseline", baseline.toString());
    assertThat(write.code()).as(write.err()).isEqualTo(0);

    CliRun same = check("samples/registry.yaml", script, "--baseline", baseline.toString());
    CliRun after = check(repointed.toString(), script, "--baseline", baseline.toString());

    assertThat(baselined(same, rule)).as("the registry it was written with").containsExactly(true);
    assertThat(same.code()).isEqualTo(0);
    assertThat(after.out()).as("the finding is about the role the statement names now")
        .contains(moved ? "role/AdminX" : "role/RedshiftCopyUnload");
    assertThat(baselined(after, rule)).as(after.out()).containsExactly(!moved);
    assertThat(after.code()).as(after.out()).isEqualTo(moved ? 1 : 0);
  }

  /**
   * Baselines written before: a statement that writes the role's ARN keeps its fingerprint (the
   * definition of {@link BaselineFingerprintTest}), so its entry still accepts the finding; one
   * naming the role by alias no longer matches the old entry, which cannot tell which role it was.
   */
  @Test
  void entriesWrittenBeforeStillAcceptStatementsThatWriteTheRole() throws Exception {
    for (String[] form : roleForms()) {
      String statement = "unload ('select 1') to 's3://acmedata/exports/x_' iam_role " + form[0];
      Path script = dir.resolve("s.sql");
      Files.writeString(script, statement + ";\n");
      String old = BaselineFingerprintTest.definition(script.toString(),
          new Finding(RuleId.S3_NOT_PERMITTED, "m", "s3://acmedata/exports/x_", "r", 0), statement);
      Path baseline = dir.resolve("old.json");
      Files.writeString(baseline, "{\"iamguard_baseline\": 1, \"findings\": [{\"file\": \"" + script
          + "\", \"rule\": \"S3_NOT_PERMITTED\", \"fingerprint\": \"" + old + "\", \"count\": 1}]}\n");

      CliRun run = check("samples/registry.yaml", script, "--baseline", baseline.toString());

      boolean written = form[1].equals("same");
      assertThat(baselined(run, "S3_NOT_PERMITTED")).as(statement).containsExactly(written);
      assertThat(run.code()).as(statement).isEqualTo(written ? 0 : 1);
    }
  }

  /** Whole ARNs only: a role whose ARN the text holds only as the start of a longer one is not written. */
  @Test
  void aRoleIsWrittenOnlyAsAWholeArn() {
    assertThat(Baseline.written("iam_role 'arn:aws:iam::1:role/admin'", "arn:aws:iam::1:role/Admin")).isTrue();
    assertThat(Baseline.written("iam_role 'arn:aws:iam::1:role/a,arn:aws:iam::2:role/b'", "arn:aws:iam::1:role/A")).isTrue();
    assertThat(Baseline.written("iam_role 'arn:aws:iam::1:role/adminx'", "arn:aws:iam::1:role/Admin")).isFalse();
    assertThat(Baseline.written("iam_role default", "arn:aws:iam::1:role/Admin")).isFalse();
  }

  private CliRun check(String registry, Path script, String... more) {
    List<String> args = new ArrayList<>(List.of("check", "--registry", registry, "--user", "user1", "--format", "json"));
    args.addAll(List.of(more));
    args.add(script.toString());
    return CliRun.of(args.toArray(String[]::new));
  }

  /** For each finding of {@code rule}, whether the baseline accepted it. */
  @SuppressWarnings("unchecked")
  private static List<Boolean> baselined(CliRun run, String rule) {
    List<Boolean> found = new ArrayList<>();
    for (Map<String, Object> statement : (List<Map<String, Object>>) run.json().get("statements")) {
      for (Map<String, Object> finding : (List<Map<String, Object>>) statement.getOrDefault("findings", List.of())) {
        if (rule.equals(finding.get("rule"))) {
          found.add(Boolean.TRUE.equals(finding.get("baselined")));
        }
      }
    }
    return found;
  }
}
