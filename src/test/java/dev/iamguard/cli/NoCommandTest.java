package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code iamguard} with no command is a usage error, as {@code iamguard registry} with no subcommand
 * is: exit 2 and the usage on standard error, nothing on standard output. It exited 0 with the
 * usage on standard output, so a CI step whose command variable came out empty ({@code iamguard
 * $STEP}) passed without checking anything. Asking for help still exits 0 with the usage on standard
 * output.
 */
class NoCommandTest {
  @Test
  void noCommandIsAUsageError() {
    CliRun run = CliRun.of();
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("name a command: explain, check, rewrite, run, suggest, registry or access")
        .contains("Usage: iamguard");
  }

  @Test
  void noSubcommandOfRegistryIsAUsageError() {
    CliRun run = CliRun.of("registry");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("name a subcommand");
  }

  @Test
  void helpIsNoError() {
    for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
      CliRun run = CliRun.of(args);
      assertThat(run.code()).as(String.join(" ", args)).isZero();
      assertThat(run.out()).as(String.join(" ", args)).contains("Usage: iamguard", "check", "registry", "access");
    }
  }
}
