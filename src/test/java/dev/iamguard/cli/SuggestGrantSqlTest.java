package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.CommandKind;
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
 * The GRANT ASSUMEROLE statements suggest writes ({@code --format sql}, and {@code grants.sql} of
 * {@code --format iam --out}) are run by a superuser, and each holds the role chain in a
 * single-quoted literal. A role path takes any printable ASCII (IAM API, Path: quotes, semicolons,
 * comment markers, backslashes), so a role the scripts name may carry SQL. The output must read back
 * (with iamguard's own lexer) as exactly the grants suggest meant, each on exactly its chain, or the
 * role is a gap; never as another statement.
 *
 * <p>Generated: 9 path payloads (4 with a quote or backslash, 5 without: {@code ;}, {@code --},
 * {@code /*}, {@code $$}, {@code "}) x 3 places (the only role; the second of a chain; a GRANT
 * ASSUMEROLE of the script) x 2 formats. Fails without the check of {@code ScriptNeeds.sqlSafe}: a
 * path {@code x';grant/**}{@code /all...;--} made a second statement of the grants.
 */
class SuggestGrantSqlTest {
  private static final String FIRST = "arn:aws:iam::123456789012:role/Loader";

  @TempDir
  Path dir;

  private static final List<String> PAYLOADS = List.of(
      "x';grant/**/all/**/on/**/all/**/tables/**/in/**/schema/**/public/**/to/**/public;--",
      "a''b", "a\\", "a\\';select/**/1;--",
      "a;select/**/1;", "a--b", "a/*b", "$$a$$", "a\"b");

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String payload : PAYLOADS) {
      String role = "arn:aws:iam::123456789012:role/" + payload + "/Partner";
      // as a literal of the scripts: quotes doubled, backslashes doubled (iamguard reads escapes in literals, as Redshift)
      String literal = role.replace("\\", "\\\\").replace("'", "''");
      List<String> scripts = List.of(
          "copy t from 's3://acme-data/in/' iam_role '" + literal + "';",
          "unload ('select 1') to 's3://acme-data/out/' iam_role '" + FIRST + "," + literal + "';",
          "copy t from 's3://acme-data/in/' iam_role '" + literal + "';\ngrant assumerole on '" + literal
              + "' to etl for copy;");
      for (String script : scripts) {
        for (String format : List.of("sql", "iam")) {
          all.add(Arguments.of(script, role, format));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theGrantsReadBackAsTheGrantsAndNothingElse(String script, String role, String format) throws Exception {
    assertThat(RoleArn.parse(role).arn()).as("IAM takes the path, and so does iamguard").isPresent();
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("suggest", "--cluster", "c1", "--account", "123456789012",
        "--region", "us-west-2", "--user", "etl", "--format", format));
    if (format.equals("iam")) {
      args.addAll(List.of("--out", out.toString()));
    }
    args.add("-");
    CliRun run = CliRun.withStdin(script, args.toArray(String[]::new));
    String sql = format.equals("sql") ? run.out() : Files.readString(out.resolve("grants.sql"));
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    boolean unsafe = role.indexOf('\'') >= 0 || role.indexOf('\\') >= 0;
    for (SqlStatement statement : statements) {
      assertThat(statement.command().kind()).as(sql).isEqualTo(CommandKind.GRANT_ASSUMEROLE);
      assertThat(statement.command().isUnparseable()).as(sql).isFalse();
      for (String chain : statement.command().grant().roles()) {
        assertThat(RoleArn.splitChain(chain)).as(sql).allMatch(r -> r.equals(role) || r.equals(FIRST));
      }
    }
    if (unsafe) {
      assertThat(run.code()).as(run.err()).isEqualTo(1);
      assertThat(statements).as(sql).isEmpty();
      assertThat(run.err()).contains("holds a quote, a backslash or a comma");
    } else {
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(statements).as(sql).hasSize(1);
      assertThat(statements.get(0).command().grant().roles()).as(sql).anyMatch(chain -> chain.contains(role));
    }
  }
}
