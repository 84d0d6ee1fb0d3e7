package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A psql meta-command line iamguard cannot vouch for leads the statement after it (psql drops the
 * line, the server reads the rest): the statement is still read as the command it is (probe 21a
 * F12). So a suppression written for the line's problem, {@code AUTH_UNPARSEABLE}, cannot accept
 * what the statement does: an UNLOAD to a bucket the registry forbids is still S3_NOT_PERMITTED,
 * and check fails. For every meta-command form with such a problem, and with the marker before the
 * line or on it.
 */
class MetaLineSuppressionTest {
  private static final String UNLOAD = "unload ('select * from t') to 's3://evil-bucket/x_' "
      + "iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n";

  @TempDir
  Path dir;

  static List<String> metaLines() {
    return List.of("\\copy staging from 'staging.csv' csv", "\\i other.sql", "\\ir other.sql", "\\setenv A b", "\\! ls", "\\o :outfile", "\\o |cat", "\\echo `date`", "\\e",
        "select count(*) from t \\g :outfile", "select count(*) from t \\g |cat", "select 1 \\gexec");
  }

  @ParameterizedTest
  @MethodSource("metaLines")
  void theStatementAfterTheLineIsCheckedAsWhatItIs(String metaLine) throws IOException {
    for (String script : List.of("-- iamguard:allow AUTH_UNPARSEABLE the line is reviewed\n" + metaLine + "\n" + UNLOAD,
        metaLine + " -- iamguard:allow AUTH_UNPARSEABLE the line is reviewed\n" + UNLOAD)) {
      Path file = dir.resolve("s.sql");
      Files.writeString(file, script);

      CliRun run = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", file.toString());

      assertThat(run.code()).as(script + "\n" + run.out()).isEqualTo(1);
      assertThat(run.out()).as(script).contains("S3_NOT_PERMITTED");
      CliRun explain = CliRun.of("explain", file.toString());
      assertThat(explain.out()).as(script).contains("UNLOAD");
    }
  }

  /**
   * Lines psql and the server read differently (a quote or comment left open, probe 21d F1), the
   * SQL psql reads after a {@code \\} on the line, and a {@code \c} as another user: a suppression
   * of the line's problem still accepts only the line, and the UNLOAD after it stays denied (read as
   * psql sends it where it can be, else refused), also where the registry allows it to the user the
   * script started as.
   */
  @ParameterizedTest
  @MethodSource("misreadLines")
  void whatFollowsALineReadOtherwiseStaysDenied(String lines) throws IOException {
    for (String target : List.of("s3://evil-bucket/x_", "s3://acmedata/redshift/unload/x_")) {
      String unload = "unload ('select * from t') to '" + target + "' "
          + "iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n";
      String script = "-- iamguard:allow AUTH_UNPARSEABLE the line is reviewed\n" + lines + unload;
      Path file = dir.resolve("s.sql");
      Files.writeString(file, script);

      CliRun run = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", file.toString());

      assertThat(run.code()).as(script + "\n" + run.out()).isEqualTo(1);
      assertThat(run.out()).as(script).contains(": 0 allowed, 0 rewritten");
    }
  }

  static List<String> misreadLines() {
    return List.of("\\echo it's\n", "\\copy t from 'x.csv' /*\n", "\\echo \"open\n", "\\c dev user3\n",
        "\\connect dbname=dev user=user3\n", "\\echo loading \\\\ ", "\\echo a \\p\n",
        "\\copy staging from 'a.csv' csv \\\\ \\echo x\n", "\\echo x \\\\ set session authorization 'user3';\n");
  }
}
