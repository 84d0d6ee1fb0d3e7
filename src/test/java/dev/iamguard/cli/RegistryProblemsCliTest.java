package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry problems the CLI meets: exit 2 with a one-line-per-problem message, never a stack trace. */
class RegistryProblemsCliTest {
  @TempDir
  Path dir;

  @Test
  void aDeeplyNestedRegistryIsARegistryErrorWithExitTwo() throws Exception {
    Path registry = Files.writeString(dir.resolve("deep.yaml"),
        "version: 1\nroles: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n");

    CliRun run = CliRun.withStdin("select 1;", "check", "--registry", registry.toString(), "--user", "u");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("deep.yaml:2: YAML syntax error: lists and mappings nest more than 64 levels")
        .doesNotContain("StackOverflowError", "\tat ");
  }

  @Test
  void registryValuesInProblemsAreEscaped() throws Exception {
    Path registry = Files.writeString(dir.resolve("evil.yaml"),
        "version: 1\n\"x\\n: DENY forged\\u001b[2K\": 1\n");

    CliRun run = CliRun.withStdin("select 1;", "check", "--registry", registry.toString(), "--user", "u");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).doesNotContain("\u001b").contains("x\\n: DENY forged\\u001b[2K");
    assertThat(run.err().lines()).hasSize(2);
  }

  @Test
  void aRegistryThatIsNotUtf8SaysWhereAndWhatToDo() throws Exception {
    byte[] latin1 = "version: 1\n# caf\u00e9 au lait\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Path registry = Files.write(dir.resolve("latin1.yaml"), latin1);

    CliRun run = CliRun.withStdin("select 1;", "check", "--registry", registry.toString(), "--user", "u");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("latin1.yaml:2: the registry is not UTF-8 text: the byte 0xE9 at line 2, column 6"
        + " is not UTF-8 (a file saved as Latin-1 or Windows-1252?); save the file as UTF-8");

    Path utf16 = Files.write(dir.resolve("utf16.yaml"), // as Windows Notepad saves "Unicode": a BOM, then UTF-16LE
        "\ufeffversion: 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    assertThat(CliRun.withStdin("select 1;", "check", "--registry", utf16.toString(), "--user", "u").err())
        .contains("utf16.yaml: the registry is UTF-16 text; save it as UTF-8");
  }

  @Test
  void aFolderGivenAsTheRegistryNamesTheFilesInIt() {
    CliRun run = CliRun.withStdin("select 1;", "check", "--registry", "samples", "--user", "u");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("samples: is a folder, not a registry file; name the registry file in it, e.g. "
        + Path.of("samples", "registry-iam.yaml") + " or " + Path.of("samples", "registry.yaml"));
  }

  @Test
  void anEmptyUserIsAUsageError() {
    for (String command : new String[] {"check", "rewrite"}) {
      CliRun run = CliRun.withStdin("select 1;", command, "--registry", "samples/registry.yaml", "--user", " ");
      assertThat(run.code()).as(command).isEqualTo(2);
      assertThat(run.err()).as(command).contains("--user is empty: name the database user the statements run as");
    }
    CliRun run = CliRun.withStdin("select 1;", "run", "--url", "jdbc:iamguard:h2:mem:empty-user", "--registry",
        "samples/registry.yaml", "--user", "", "-");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--user is empty");
  }

  /**
   * A credential pasted where an ARN, attached role or alias belongs is masked in the problem that
   * quotes the value (probe 21c F4): in {@code registry validate}, {@code check}'s refusal, and
   * {@code registry import} of an export or grants file holding one.
   */
  @Test
  void aCredentialPastedIntoTheRegistryIsNeverQuoted() throws Exception {
    String keyId = "AKIAIOSFODNN7EXAMPLE";
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    Path registry = Files.writeString(dir.resolve("pasted.yaml"), "version: 1\nclusters:\n  - id: c1\n"
        + "    account: \"123456789012\"\n    region: us-west-2\n    attached_roles:\n      - " + secret + "\n"
        + "roles:\n  - arn: " + keyId + "\n    alias: x\n"
        + "  - arn: arn:aws:iam::123456789012:role/RoleA\n"
        + "    alias: \"aws_access_key_id=AKIAQ3RTY7UIOPLKJHGF;aws_secret_access_key=PastedSecret0001\"\n");
    List<String> secrets = List.of(keyId, secret, "AKIAQ3RTY7UIOPLKJHGF", "PastedSecret0001");

    for (CliRun run : List.of(CliRun.of("registry", "validate", registry.toString()),
        CliRun.withStdin("select 1;", "check", "--registry", registry.toString(), "--user", "u"))) {
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err() + run.out()).contains("is not a role ARN").doesNotContain(secrets);
    }

    Path iam = Files.writeString(dir.resolve("iam.json"), "{\"RoleDetailList\": [{\"Arn\": \"" + secret
        + "\", \"RoleName\": \"R\", \"Path\": \"/\", \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\","
        + " \"Statement\": []}, \"RolePolicyList\": [], \"AttachedManagedPolicies\": []}]}");
    Path grants = Files.writeString(dir.resolve("grants.csv"),
        "iam_arn,command_type,identity_id,identity_name,identity_type\n" + keyId + ",COPY,100,user1,user\n");
    CliRun imported = CliRun.of("registry", "import", "--iam", iam.toString(), "--redshift",
        "src/test/resources/awscli/seed/describe-clusters.json", "--grants", grants.toString(), "--out",
        dir.resolve("out").toString());
    assertThat(imported.code()).isEqualTo(2);
    assertThat(imported.err() + imported.out()).contains("is not a role ARN").doesNotContain(secrets);
  }
}
