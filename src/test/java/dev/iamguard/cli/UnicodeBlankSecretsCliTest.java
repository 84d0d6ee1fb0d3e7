package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's output for scripts whose secret keywords stand apart from their values by a
 * blank that is no ASCII space (no-break, U+2003, U+3000, zero-width, BOM; see
 * {@code audit.UnicodeBlankSecretsTest} for the masking itself): check in text, JSON and SARIF
 * (verbose), explain in text and JSON, rewrite and its {@code --diff}, a baseline written by check,
 * and run on H2. Each script holds six generated statements (seeded): keyword quoted or not, in a
 * random case, the blank, a separator ({@code ;}, {@code =}, {@code AS}, none), a literal form, for
 * COPY, UNLOAD, CREATE and ALTER USER. The oracle is every value, a distinctive random string that no
 * output may hold.
 */
class UnicodeBlankSecretsCliTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String[] KEYWORDS = {"secret_access_key", "session_token", "access_key_id", "password",
      "master_symmetric_key"};
  private static final String[] BLANKS = {"\u00a0", " \u00a0", "\u2003", "\u3000", "\u200b", "\ufeff", "\u202f",
      "\n\u00a0"};
  private static final String[] SEPARATORS = {"", ";\n", "=", "\u00a0=\u00a0", "AS ", ";"};
  private static final String[] STARTS = {"copy venue from 's3://acmedata/redshift/v' iam_role default ",
      "unload ('select 1') to 's3://acmedata/redshift/unload/x' ", "create user bob ", "alter user bob with "};
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  @TempDir
  Path dir;

  private final Random random = new Random(2026120503L);

  @Test
  void noCommandPrintsAValue() throws IOException {
    List<String> leaks = new ArrayList<>();
    for (int n = 0; n < 24; n++) {
      List<String> values = new ArrayList<>();
      StringBuilder script = new StringBuilder();
      for (int s = 0; s < 6; s++) {
        script.append(statement(values, s == 5)).append(";\n");
      }
      Path file = Files.writeString(dir.resolve("blanks-" + n + ".sql"), script.toString());
      for (CliRun run : runs(file)) {
        for (String value : values) {
          if ((run.out() + run.err()).contains(value)) {
            leaks.add(file.getFileName() + ": " + value);
          }
        }
      }
      Path baseline = dir.resolve("baseline-" + n + ".json");
      if (Files.exists(baseline)) {
        for (String value : values) {
          if (Files.readString(baseline).contains(value)) {
            leaks.add(baseline.getFileName() + ": " + value);
          }
        }
      }
    }
    assertThat(leaks).as("outputs holding a value").isEmpty();
  }

  private List<CliRun> runs(Path file) {
    List<CliRun> runs = new ArrayList<>();
    for (String format : List.of("text", "json", "sarif")) {
      runs.add(CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--verbose", "--format", format,
          file.toString()));
    }
    String name = file.getFileName().toString().replace("blanks-", "baseline-").replace(".sql", ".json");
    runs.add(CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--write-baseline",
        dir.resolve(name).toString(), file.toString()));
    runs.add(CliRun.of("explain", file.toString()));
    runs.add(CliRun.of("explain", "--format", "json", file.toString()));
    runs.add(CliRun.of("rewrite", "--registry", REGISTRY, "--user", "user1", file.toString()));
    runs.add(CliRun.of("rewrite", "--registry", REGISTRY, "--user", "user1", "--diff", file.toString()));
    runs.add(CliRun.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY, "--user", "user1",
        "--local-s3", dir.resolve("s3").toString(), file.toString()));
    return runs;
  }

  /** One generated statement; its value goes to {@code values}. The last of a script may leave its literal open. */
  private String statement(List<String> values, boolean last) {
    String keyword = KEYWORDS[random.nextInt(KEYWORDS.length)];
    keyword = random.nextBoolean() ? keyword.toUpperCase(Locale.ROOT) : keyword;
    if (random.nextBoolean()) {
      keyword = "\"" + keyword + "\"";
    }
    StringBuilder value = new StringBuilder("Zq");
    for (int i = 0; i < 20; i++) {
      value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    values.add(value.toString());
    String literal = switch (random.nextInt(last ? 5 : 4)) {
      case 0 -> "'" + value + "'";
      case 1 -> "$$" + value + "$$";
      case 2 -> "E'" + value + "'";
      case 3 -> "$k$" + value + "$k$";
      default -> "'" + value;
    };
    return STARTS[random.nextInt(STARTS.length)] + keyword + BLANKS[random.nextInt(BLANKS.length)]
        + SEPARATORS[random.nextInt(SEPARATORS.length)] + literal;
  }
}
