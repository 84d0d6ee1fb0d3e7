package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy files are read relative to the registry's folder and, unless whoever loads the registry
 * allows files anywhere, only from inside it: an absolute path, a path that climbs out or a link
 * that leads out is refused naming why; every file read is remembered with its digest.
 */
class PolicyFileScopeTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String PERMISSIONS = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
       "Resource": "arn:aws:s3:::bucket1/*"}]}
      """;

  private static String registry(String permissions) {
    return """
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%1$s]
        roles:
          - arn: %1$s
            trust: { regions: [us-west-2] }
            policy_files:
              permissions: %2$s
        """.formatted(A, permissions);
  }

  private static Path write(Path dir, String permissions) throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, registry(permissions));
    return file;
  }

  private static List<String> problems(Path file, PolicyFileScope scope) {
    try {
      RegistryLoader.load(file, scope);
    } catch (RegistryException e) {
      return e.problems().stream().map(RegistryProblem::message).toList();
    }
    throw new AssertionError(file + " loaded");
  }

  private static String inside(Path dir) {
    return "; policy_files must lie inside the registry's folder " + dir.toAbsolutePath().normalize()
        + " unless whoever loads the registry allows files elsewhere (" + PolicyFileScope.HOW_TO_ALLOW + ")";
  }

  @Test
  void filesInsideTheFolderAreReadAndRemembered(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("iam"));
    Files.writeString(dir.resolve("iam/a.json"), PERMISSIONS);
    Files.writeString(dir.resolve("b.json"), PERMISSIONS.replace("bucket1", "bucket2"));
    Path file = write(dir, "[iam/a.json, ./iam/../b.json]");
    RegistryLoader.Loaded loaded = RegistryLoader.load(file, PolicyFileScope.REGISTRY_FOLDER);
    assertThat(loaded.sources()).extracting(RegistrySource::file)
        .containsExactly(file, dir.resolve("iam/a.json"), dir.resolve("b.json"));
    assertThat(loaded.sources().get(1).holds(PERMISSIONS.getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(loaded.registry().roles()).singleElement().satisfies(r -> assertThat(r.permissions().identity()).hasSize(2));
  }

  @Test
  void aPathThatClimbsOutIsRefusedUnlessAllowed(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("outside.json"), PERMISSIONS);
    Path file = write(folder, "[../outside.json]");
    assertThat(problems(file, PolicyFileScope.REGISTRY_FOLDER)).containsExactly(
        "policy file ../outside.json climbs out of the registry's folder" + inside(folder));
    assertThat(RegistryLoader.load(file, PolicyFileScope.ANYWHERE).sources()).hasSize(2);
  }

  @Test
  void anAbsolutePathIsRefusedUnlessAllowed(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("conf"));
    Path outside = dir.resolve("outside.json");
    Files.writeString(outside, PERMISSIONS);
    Path file = write(folder, "[\"" + outside + "\"]");
    assertThat(problems(file, PolicyFileScope.REGISTRY_FOLDER)).containsExactly(
        "policy file " + outside + " is an absolute path" + inside(folder));
    assertThat(RegistryLoader.load(file, PolicyFileScope.ANYWHERE).sources()).extracting(RegistrySource::file)
        .containsExactly(file, outside);
  }

  @Test
  void aLinkLeadingOutIsRefusedALinkInsideIsNot(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("outside.json"), PERMISSIONS);
    Files.writeString(folder.resolve("real.json"), PERMISSIONS);
    try {
      Files.createSymbolicLink(folder.resolve("out.json"), dir.resolve("outside.json"));
      Files.createSymbolicLink(folder.resolve("in.json"), folder.resolve("real.json"));
    } catch (UnsupportedOperationException | java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("symbolic links cannot be made here: " + e);
    }
    assertThat(problems(write(folder, "[out.json]"), PolicyFileScope.REGISTRY_FOLDER)).containsExactly(
        "policy file out.json is (or lies under) a symbolic link that leads out of the registry's folder"
            + inside(folder));
    assertThat(RegistryLoader.load(write(folder, "[in.json]"), PolicyFileScope.REGISTRY_FOLDER).sources()).hasSize(2);
  }

  @Test
  void filesThatAreNoPolicyTextAreNamed(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("latin1.json"), new byte[] {'{', (byte) 0xE9, '}'});
    assertThat(problems(write(dir, "[latin1.json]"), PolicyFileScope.REGISTRY_FOLDER)).containsExactly(
        "policy file latin1.json is not UTF-8 text, so not an IAM policy document");
    assertThat(problems(write(dir, "[]"), PolicyFileScope.REGISTRY_FOLDER)).containsExactly(
        "empty list: name at least one permission policy file, or remove the key");
    assertThat(problems(write(dir, "[\"a\\0b.json\"]"), PolicyFileScope.REGISTRY_FOLDER)).containsExactly(
        "policy file a\u0000b.json is not a valid path");
    assertThat(problems(write(dir, "[absent.json]"), PolicyFileScope.REGISTRY_FOLDER)).singleElement()
        .asString().startsWith("cannot read policy file absent.json (looked for in " + dir.toAbsolutePath().normalize()
            + "): NoSuchFileException");
  }

  @Test
  void registryTextWithoutAFolderCannotResolvePolicyFiles() {
    assertThatThrownBy(() -> RegistryLoader.parse(registry("[a.json]"), "text.yaml", null))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.problems()).extracting(RegistryProblem::message)
            .containsExactly("policy file a.json cannot be resolved: the registry was given as text without a folder;"
                + " load it from a file or pass its folder"));
  }
}
