package dev.iamguard.cli;

import static dev.iamguard.cli.CheckCommandTest.REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.cli.ScaleLimitsTest.Exit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line writes the same bytes whatever the JVM's default locale: in locales whose
 * digits are not ASCII (Arabic, Persian, Thai with Thai digits, Marathi) an emulated UNLOAD wrote
 * {@code one_٠٠٠} and every date, time and timestamp in those digits, and errors named their line
 * in them; Turkish changes the case of {@code I}. Each command runs in a JVM of its own per locale
 * and is compared with the run in {@code en-US}, whose output was checked by hand.
 */
class ForeignLocaleTest {
  /** {@code -D} options making each default locale: language, country and, for Thai digits, the variant. */
  private static final Map<String, List<String>> LOCALES = Map.of(
      "ar-SA", List.of("-Duser.language=ar", "-Duser.country=SA"),
      "fa-IR", List.of("-Duser.language=fa", "-Duser.country=IR"),
      "th-TH-TH", List.of("-Duser.language=th", "-Duser.country=TH", "-Duser.variant=TH"),
      "mr-IN", List.of("-Duser.language=mr", "-Duser.country=IN"),
      "tr-TR", List.of("-Duser.language=tr", "-Duser.country=TR"));
  private static final List<String> BASELINE = List.of("-Duser.language=en", "-Duser.country=US");

  @TempDir
  Path dir;

  /** What one run left: its exit, standard output and error, and every file under its local S3 folder. */
  private record Outcome(int code, String out, String err, Map<String, String> files) {}

  private Outcome run(String name, List<String> locale, Path s3, String... args) throws Exception {
    Path out = dir.resolve(name + ".out");
    Exit exit = ScaleLimitsTest.cli(out, locale, args);
    Map<String, String> files = new TreeMap<>();
    if (s3 != null && Files.isDirectory(s3)) {
      try (Stream<Path> walk = Files.walk(s3)) {
        for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
          files.put(s3.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    String said = Files.readString(out);
    String err = exit.err();
    if (s3 != null) { // each locale has a folder of its own
      said = said.replace(s3.toString(), "S3");
      err = err.replace(s3.toString(), "S3");
    }
    return new Outcome(exit.code(), said, err, files);
  }

  @Test
  void anEmulatedUnloadWritesTheSameFilesAndValuesInEveryLocale() throws Exception {
    Path script = Files.writeString(dir.resolve("job.sql"), String.join("\n",
        "create table events (id int, day date, at time, ts timestamp, tstz timestamptz, amount decimal(12,2), ratio float8);",
        "insert into events values (7, '2026-03-09', '08:05:03.25', '2026-03-09 08:05:03.123456', '2026-03-09 08:05:03+02', 1234.50, 0.125);",
        "unload ('select * from events') to 's3://acmedata/redshift/unload/events_' iam_role default;",
        "unload ('select * from events') to 's3://acmedata/redshift/unload/one_' iam_role default parallel off;",
        "unload ('select * from events') to 's3://acmedata/redshift/unload/csv_' iam_role default csv parallel off;",
        "create table again (like events);",
        "copy again from 's3://acmedata/redshift/unload/one_000' iam_role default timeformat 'auto';",
        "unload ('select * from again') to 's3://acmedata/redshift/unload/again_' iam_role default parallel off;", ""));
    Path baseS3 = dir.resolve("s3-en");
    Outcome base = run("en", BASELINE, baseS3, "run", "--url", "jdbc:iamguard:h2:mem:etl", "--registry", REGISTRY,
        "--user", "user1", "--local-s3", baseS3.toString(), script.toString());

    // checked by hand: the part names Redshift gives, the values as the inserts wrote them (a time's
    // trailing zeros cut, the TIMESTAMPTZ in UTC), and the COPY reading back what UNLOAD wrote
    String row = "7|2026-03-09|08:05:03.25|2026-03-09 08:05:03.123456|2026-03-09 06:05:03+00|1234.50|0.125\n";
    assertThat(base.code()).as(base.err()).isZero();
    assertThat(base.files()).containsOnlyKeys(
        "acmedata/redshift/unload/events_0000_part_00", "acmedata/redshift/unload/one_000",
        "acmedata/redshift/unload/csv_000", "acmedata/redshift/unload/again_000");
    assertThat(base.files().get("acmedata/redshift/unload/one_000")).isEqualTo(row);
    assertThat(base.files().get("acmedata/redshift/unload/events_0000_part_00")).isEqualTo(row);
    assertThat(base.files().get("acmedata/redshift/unload/again_000")).isEqualTo(row);
    assertThat(base.files().get("acmedata/redshift/unload/csv_000")).isEqualTo(row.replace('|', ','));

    for (Map.Entry<String, List<String>> locale : LOCALES.entrySet()) {
      Path s3 = dir.resolve("s3-" + locale.getKey());
      Outcome other = run(locale.getKey(), locale.getValue(), s3, "run", "--url", "jdbc:iamguard:h2:mem:etl",
          "--registry", REGISTRY, "--user", "user1", "--local-s3", s3.toString(), script.toString());
      assertThat(other).as(locale.getKey()).isEqualTo(base);
    }
  }

  @Test
  void errorsNameTheirLineAndColumnInAsciiDigitsInEveryLocale() throws Exception {
    byte[] latin1 = "select 1;\nselect 'caf\u00e9';\n".getBytes(StandardCharsets.ISO_8859_1);
    Path script = Files.write(dir.resolve("latin1.sql"), latin1);
    Path registry = Files.write(dir.resolve("latin1.yaml"),
        Files.readString(Path.of(REGISTRY)).replace("# iamguard registry", "# iamguard r\u00e9gistry")
            .getBytes(StandardCharsets.ISO_8859_1));
    String[][] commands = {
        {"check", "--registry", REGISTRY, "--user", "user1", "--format", "json", script.toString()},
        {"registry", "validate", registry.toString()}};
    for (String[] command : commands) {
      Outcome base = run("en-" + command[0], BASELINE, null, command);
      assertThat(base.code()).as(base.err()).isEqualTo(ExitCodes.ERROR);
      assertThat(base.err()).contains(command[0].equals("check") ? "at line 2, column 12" : "at line 1, column 13");
      for (Map.Entry<String, List<String>> locale : LOCALES.entrySet()) {
        assertThat(run(locale.getKey() + "-" + command[0], locale.getValue(), null, command))
            .as(locale.getKey() + " " + command[0]).isEqualTo(base);
      }
    }
  }
}
