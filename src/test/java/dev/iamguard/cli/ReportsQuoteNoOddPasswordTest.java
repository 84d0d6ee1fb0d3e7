package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports of {@code check} (text, json, sarif) and {@code rewrite} quote the sentences of the
 * findings, which quote a location's user info and an IAM_ROLE literal: a password there holding
 * characters no credential shape has (a space, {@code ;}, {@code =}, {@code #}, a quote) was printed
 * whole. Oracle: each statement of the script holds a password the test wrote; no output holds any.
 */
class ReportsQuoteNoOddPasswordTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final String ODD = " ;=#?\"%+~!,:()é";
  private static final String PLAIN = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  @TempDir
  Path dir;

  @Test
  void noReportQuotesAPasswordOfALocationOrRoleText() throws Exception {
    Random random = new Random(7);
    List<String> passwords = new ArrayList<>();
    List<String> statements = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String password = password(random);
      passwords.add(password);
      statements.add(switch (i % 4) {
        case 0 -> "copy t from 's3://bob:" + password + "@acmedata/redshift/x' iam_role '" + ROLE + "'";
        case 1 -> "unload ('select 1') to 's3://bob:" + password + "@acmedata/redshift/unload/y' iam_role '" + ROLE + "'";
        case 2 -> "copy t from 'https://bob:" + password + "@example.com/x' iam_role '" + ROLE + "'";
        default -> "copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + " secret_access_key " + password + "'";
      });
    }
    Path script = Files.writeString(dir.resolve("odd.sql"), String.join(";\n", statements) + ";\n");
    List<String[]> runs = List.of(
        new String[] {"check", "--format", "text"}, new String[] {"check", "--format", "json"},
        new String[] {"check", "--format", "sarif"}, new String[] {"rewrite"});
    for (String[] command : runs) {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(List.of("--registry", "samples/registry.yaml", "--user", "user1", script.toString()));
      CliRun run = CliRun.of(args.toArray(new String[0]));
      assertThat(run.out() + run.err()).as("%s printed something", args).isNotBlank();
      for (String password : passwords) {
        // JSON escapes a double quote; either way the password must not be there
        assertThat(run.out() + run.err()).as("%s output", args)
            .doesNotContain(password).doesNotContain(password.replace("\"", "\\\""));
      }
    }
  }

  /** 8 to 16 characters, plain at both ends, a space or another odd character every third one. */
  private static String password(Random random) {
    int length = 8 + random.nextInt(9);
    StringBuilder password = new StringBuilder(length).append(PLAIN.charAt(random.nextInt(PLAIN.length())));
    for (int i = 1; i < length - 1; i++) {
      String from = i % 3 == 0 ? ODD : PLAIN;
      password.append(from.charAt(random.nextInt(from.length())));
    }
    return password.append(PLAIN.charAt(random.nextInt(PLAIN.length()))).toString();
  }
}
