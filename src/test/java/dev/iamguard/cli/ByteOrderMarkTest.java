package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A byte order mark at a script's start is no SQL: psql drops it (checked against psql 15, which
 * runs such a script), so {@code check} reads the COPY after it, and {@code rewrite} keeps it, as
 * it keeps every byte outside a rewritten clause. One anywhere else is a character of the SQL, as
 * psql sends it and the server rejects it.
 */
class ByteOrderMarkTest {
  private static final String BOM = "\uFEFF";
  private static final String SCRIPT = "copy sales from 's3://acmedata/redshift/sales/' iam_role 'copy-unload';\n";

  private static CliRun run(String stdin, String... args) {
    String[] all = new String[args.length + 5];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--registry", RewriteCommandTest.REGISTRY, "--user", "user1", "-"}, 0, all,
        args.length, 5);
    return CliRun.withStdin(stdin, all);
  }

  @Test
  void checkReadsTheStatementAfterAByteOrderMarkAsWithout() {
    CliRun without = run(SCRIPT, "check", "--format", "json");
    CliRun with = run(BOM + SCRIPT, "check", "--format", "json");

    assertThat(without.code()).isZero();
    assertThat(with.code()).isZero();
    assertThat(with.out()).contains("\"decision\":\"REWRITE\"").doesNotContain("AUTH_UNPARSEABLE");
    // the same report, columns too: the mark is no column to editors, psql or code scanning (probe 22b F6)
    assertThat(with.out()).isEqualTo(without.out());
    for (String format : new String[] {"text", "sarif"}) {
      assertThat(run(BOM + SCRIPT, "check", "--format", format, "--verbose").out()).as(format)
          .isEqualTo(run(SCRIPT, "check", "--format", format, "--verbose").out());
    }
    CliRun explained = CliRun.withStdin(BOM + SCRIPT, "explain", "--format", "json");
    assertThat(explained.code()).isZero();
    assertThat(explained.out()).contains("\"line\":1,\"column\":1")
        .isEqualTo(CliRun.withStdin(SCRIPT, "explain", "--format", "json").out());
  }

  @Test
  void rewriteKeepsTheByteOrderMark() {
    CliRun rewritten = run(BOM + SCRIPT, "rewrite");

    assertThat(rewritten.code()).isZero();
    assertThat(rewritten.out()).isEqualTo(BOM + SCRIPT.replace("'copy-unload'",
        "'" + RewriteCommandTest.COPY_UNLOAD + "'"));
  }

  @Test
  void aByteOrderMarkAfterTheStartIsPartOfTheStatement() {
    CliRun later = run("select 1;\n" + BOM + SCRIPT, "check");

    assertThat(later.code()).isEqualTo(1);
    assertThat(later.out() + later.err()).contains("AUTH_UNPARSEABLE");
  }
}
