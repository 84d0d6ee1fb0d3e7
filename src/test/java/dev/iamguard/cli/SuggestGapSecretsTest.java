package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * Keys written where suggest expects a role or a name (an IAM_ROLE or CATALOG_ROLE literal holding a
 * CREDENTIALS-style key string, a GRANT ASSUMEROLE target, one element of a chain) make a gap whose
 * reason quotes the text it could not read: the quoted text must never carry the secret, in any
 * format suggest writes (YAML comments, JSON gaps, SQL comments, the files of {@code --out}) or on
 * standard error.
 *
 * <p>Generated: 4 carriers x 4 key strings x 2 spellings of the statement (lower case on one line;
 * upper case with comments and newlines between tokens, after another statement) x 4 formats.
 * Fails without {@code ScriptNeeds.holdsSecret}: the first three carriers printed the key string in
 * the gap's reason, and the chain (whose second element reads as the path of one role ARN, a path
 * taking almost any character) was suggested as a role, keys and all, in the registry, the grants and
 * the documents, with exit 0.
 */
class SuggestGapSecretsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/Loader";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";

  @TempDir
  Path dir;

  private static final List<String> KEY_STRINGS = List.of(
      "aws_access_key_id=" + KEY_ID + ";aws_secret_access_key=" + SECRET,
      "aws_secret_access_key=" + SECRET + ";aws_access_key_id=" + KEY_ID,
      "aws_access_key_id=" + KEY_ID + ";aws_secret_access_key=" + SECRET + ";token=" + SECRET + "T",
      "AWS_ACCESS_KEY_ID=" + KEY_ID + ";AWS_SECRET_ACCESS_KEY=" + SECRET);

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String keys : KEY_STRINGS) {
      List<String> carriers = List.of(
          "copy t from 's3://acme-data/in/' iam_role '" + keys + "'",
          "create external schema s from data catalog database 'sales' iam_role '" + ROLE + "' catalog_role '"
              + keys + "'",
          "grant assumerole on '" + keys + "' to etl for copy",
          "copy t from 's3://acme-data/in/' iam_role '" + ROLE + "," + keys + "'");
      for (String carrier : carriers) {
        for (boolean spelled : List.of(false, true)) {
          String sql = spelled ? "select 1;\n" + respell(carrier) + ";\n" : carrier + ";";
          for (String format : List.of("yaml", "json", "sql", "iam")) {
            all.add(Arguments.of(sql, format));
          }
        }
      }
    }
    return all.stream();
  }

  /** Keywords upper-cased, a comment and a newline between tokens; literals unchanged. */
  static String respell(String sql) {
    StringBuilder out = new StringBuilder();
    String[] parts = sql.split("'", -1);
    for (int i = 0; i < parts.length; i++) {
      out.append(i % 2 == 0 ? parts[i].toUpperCase(java.util.Locale.ROOT).replace(" ", " /* c */\n  ") : parts[i]);
      if (i < parts.length - 1) {
        out.append('\'');
      }
    }
    return out.toString();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void noGapReasonCarriesTheKeys(String sql, String format) throws IOException {
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("suggest", "--cluster", "c1", "--account", "123456789012",
        "--region", "us-west-2", "--user", "etl", "--format", format));
    if (format.equals("iam")) {
      args.addAll(List.of("--out", out.toString()));
    }
    args.add("-");
    CliRun run = CliRun.withStdin(sql, args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isEqualTo(1); // a gap: the keys name no role
    StringBuilder written = new StringBuilder(run.out()).append(run.err());
    if (Files.isDirectory(out)) {
      try (Stream<Path> files = Files.walk(out)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          written.append(Files.readString(file));
        }
      }
    }
    assertThat(written.toString()).as(sql).containsPattern("holds a key, (token or password|secret or token)") // suggest's gap, or the parser's refusal.doesNotContain(SECRET).doesNotContain("bPxRfiCY")
        .doesNotContain(KEY_ID);
  }
}
