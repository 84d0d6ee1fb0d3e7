package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A named pipe, a folder or a link to a pipe where the registry or any file it names belongs (trust,
 * permissions, managed, boundary, a managed_policies entry) is refused at once, naming the file and
 * what it is; nothing hangs and nothing loads half.
 */
class NonRegularRegistryFilesTest {

  @TempDir
  Path dir;

  private static final String REGISTRY = """
      version: 1
      clusters:
        - id: c
          account: "123456789012"
          region: us-east-1
          attached_roles: [arn:aws:iam::123456789012:role/R]
      managed_policies:
        "arn:aws:iam::123456789012:policy/M": m.json
      roles:
        - arn: arn:aws:iam::123456789012:role/R
          policy_files:
            trust: t.json
            permissions: [p.json, q.json]
            managed: ["arn:aws:iam::123456789012:policy/M"]
            boundary: b.json
      """;
  private static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
  private static final String PERMISSIONS = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bkt/*\"}]}";

  static Stream<Arguments> places() {
    return Stream.of("reg.yaml", "t.json", "p.json", "q.json", "m.json", "b.json")
        .flatMap(file -> Stream.of(NonRegularFiles.values()).map(kind -> Arguments.of(file, kind)));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("places")
  void refusedNamingTheFileAndWhatItIs(String file, NonRegularFiles kind) throws Exception {
    Files.writeString(dir.resolve("reg.yaml"), REGISTRY);
    Files.writeString(dir.resolve("t.json"), TRUST);
    for (String name : List.of("p.json", "q.json", "m.json", "b.json")) {
      Files.writeString(dir.resolve(name), PERMISSIONS);
    }
    RegistryLoader.load(dir.resolve("reg.yaml")); // loads whole first
    Files.delete(dir.resolve(file));
    kind.make(dir.resolve(file));
    RegistryException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(RegistryException.class, () -> RegistryLoader.load(dir.resolve("reg.yaml"))));
    // a folder named as the registry has its own message, naming the registry files in it
    String expected = !file.equals("reg.yaml") ? "policy file " + file + " is " + kind.named + ", not a regular file"
        : kind == NonRegularFiles.FOLDER ? "reg.yaml: is a folder, not a registry file"
        : "reg.yaml: the registry is " + kind.named + ", not a regular file";
    // (a managed policy that does not load also leaves the role's reference to it unresolved)
    assertThat(e.problems().get(0).toString()).contains(expected).doesNotContain("Exception");
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain("Exception"));
  }
}
