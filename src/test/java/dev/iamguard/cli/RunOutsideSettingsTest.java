package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iamguard run} and the settings of its environment (red-team review: with
 * {@code IAMGUARD_MODE=off} in a pipeline's environment, run sent an UNLOAD {@code check} denies and
 * printed it as ALLOW; {@code IAMGUARD_USER} won over {@code --user}). The command line's user is
 * the user checked; every setting taken from outside the command line and the URL is said on
 * standard error before anything runs; a statement sent unchecked says so. System properties stand
 * in for the environment here (the same settings, read the same way: {@code OutsideSettingsTest}).
 */
class RunOutsideSettingsTest {
  /** Allowed for user1 (trusted by the role), denied for user3; the second UNLOAD denied to both. */
  private static final String SCRIPT = """
      create table users(a int);
      unload ('select 1') to 's3://acmedata/redshift/unload/u_' iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload' allowoverwrite;
      unload ('select * from users') to 's3://acmedata/exports/users_' iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';
      """;

  @TempDir
  Path dir;

  @AfterEach
  void clearSettings() {
    for (String key : new String[] {"iamguard.mode", "iamguard.user", "iamguard.groups"}) {
      System.clearProperty(key);
    }
  }

  private CliRun run(String user, Map<String, String> outside) throws Exception {
    Path script = Files.writeString(dir.resolve("job.sql"), SCRIPT);
    outside.forEach(System::setProperty);
    try {
      return CliRun.of("run", "--url", RunCommandTest.h2(), "--registry", "samples/registry.yaml", "--user", user,
          "--local-s3", dir.resolve("s3").toString(), script.toString());
    } finally {
      outside.keySet().forEach(System::clearProperty);
    }
  }

  @Test
  void withoutOutsideSettingsNothingIsSaidAndTheDeniedUnloadStopsTheRun() throws Exception {
    CliRun run = run("user1", Map.of());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("[2] UNLOAD ALLOW", "[3] UNLOAD DENY");
    assertThat(run.err()).doesNotContain("iamguard run: iamguard.");
  }

  @Test
  void theCommandLinesUserIsCheckedWhateverTheEnvironmentSays() throws Exception {
    for (String outside : new String[] {"user1", "user2", "nobody"}) {
      CliRun run = run("user3", Map.of("iamguard.user", outside));
      assertThat(run.code()).as(outside).isEqualTo(1);
      assertThat(run.out()).as(outside).contains("[2] UNLOAD DENY");
      assertThat(run.err()).as(outside).contains("DB_USER_NOT_TRUSTED").doesNotContain("iamguard run: iamguard.user");
    }
  }

  @Test
  void aModeFromOutsideIsSaidAndStatementsSentUncheckedSayUnchecked() throws Exception {
    CliRun run = run("user1", Map.of("iamguard.mode", "off"));
    assertThat(run.err()).startsWith("iamguard run: iamguard.mode=off (system property iamguard.mode)");
    // the owner's setting is honoured, and said: nothing claims a check that was not made
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("[2] UNLOAD UNCHECKED", "[3] UNLOAD UNCHECKED").doesNotContain("ALLOW");
    assertThat(dir.resolve("s3/acmedata/exports")).exists();
  }

  @Test
  void auditModeFromOutsideIsSaidAndTheDeniedStatementMarked() throws Exception {
    CliRun run = run("user1", Map.of("iamguard.mode", "audit", "iamguard.groups", "etl"));
    assertThat(run.err()).contains("iamguard run: iamguard.mode=audit (system property iamguard.mode)",
        "iamguard run: iamguard.groups=etl (system property iamguard.groups)");
    assertThat(run.out()).contains("[2] UNLOAD ALLOW", "[3] UNLOAD DENY 0 rows (audit mode: sent)");
  }

  @Test
  void aSettingInTheUrlIsNotSaid() throws Exception {
    Path script = Files.writeString(dir.resolve("job.sql"), SCRIPT);
    System.setProperty("iamguard.mode", "off");
    CliRun run = CliRun.of("run", "--url", RunCommandTest.h2() + ";iamguard.mode=enforce", "--registry",
        "samples/registry.yaml", "--user", "user1", "--local-s3", dir.resolve("s3").toString(), script.toString());
    assertThat(run.err()).doesNotContain("iamguard run: iamguard.mode");
    assertThat(run.out()).contains("[3] UNLOAD DENY");
    assertThat(run.code()).isEqualTo(1);
  }
}
