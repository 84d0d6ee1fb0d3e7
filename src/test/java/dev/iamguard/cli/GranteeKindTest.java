package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A grantee's kind (user, group, role, PUBLIC) comes from the grammar's key word or the export's
 * identity_type, never from how its name reads: a database user may be named {@code "group:etl"},
 * {@code "role:loader"} or {@code "PUBLIC"}, and a grant to or a revoke from that user says nothing of
 * the group etl, the role loader or every user. Checked by {@code check}, by {@code run} through the
 * driver on H2, and by {@code registry import --grants}.
 */
class GranteeKindTest {
  private static final String X = "arn:aws:iam::123456789012:role/R";
  private static final String COPY = "copy t from 's3://acmedata/redshift/x/' iam_role '" + X + "';\n";

  @TempDir
  Path dir;

  /**
   * The registry grants COPY on X to {@code registryTo}; bob is in the group etl and holds the role
   * loader; the script runs {@code statement} and then bob's COPY.
   */
  static Stream<Arguments> statements() {
    return Stream.of(
        // a grant to a user whose name reads like a group, a role or PUBLIC gives bob nothing
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"group:etl\" for copy", false),
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"GROUP:etl\" for copy", false),
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"role:loader\" for copy", false),
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"Role:loader\" for copy", false),
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"PUBLIC\" for copy", false),
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"Public\" for copy", false),
        // quoted lower-case public is read as a user so named: stricter than PUBLIC, never looser
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"public\" for copy", false),
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"group etl\" for copy", false),
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"a b:group:etl\" for copy", false),
        Arguments.of("user1", "grant assumerole on '" + X + "' to user1, \"group:etl\", \"role:loader\", \"PUBLIC\""
            + " for copy", false),
        // the key words do grant to the group, the role and every user
        Arguments.of("user1", "grant assumerole on '" + X + "' to group etl for copy", true),
        Arguments.of("user1", "grant assumerole on '" + X + "' to group \"etl\" for copy", true),
        Arguments.of("user1", "grant assumerole on '" + X + "' to role loader for copy", true),
        Arguments.of("user1", "grant assumerole on '" + X + "' to public for copy", true),
        Arguments.of("user1", "grant assumerole on '" + X + "' to \"bob\" for copy", true),
        // a revoke from a user whose name reads like a grantee of the registry takes nothing from it
        Arguments.of("\"group:etl\"", "revoke assumerole on '" + X + "' from \"group:etl\" for copy", true),
        Arguments.of("\"group:etl\"", "revoke assumerole on '" + X + "' from \"GROUP:ETL\" for copy", true),
        Arguments.of("\"role:loader\"", "revoke assumerole on '" + X + "' from \"role:loader\" for copy", true),
        // and the key words do revoke; so does "public" quoted in any case, which the server may read
        // as PUBLIC (PostgreSQL always, Redshift where it folds quoted names: its default)
        Arguments.of("PUBLIC", "revoke assumerole on '" + X + "' from \"PUBLIC\" for copy", false),
        Arguments.of("PUBLIC", "revoke assumerole on all from \"PUBLIC\" for all", false),
        Arguments.of("PUBLIC", "revoke assumerole on '" + X + "' from \"Public\" for copy", false),
        Arguments.of("PUBLIC", "revoke assumerole on '" + X + "' from \"public\" for copy", false),
        Arguments.of("\"group:etl\"", "revoke assumerole on '" + X + "' from group etl for copy", false),
        Arguments.of("\"role:loader\"", "revoke assumerole on '" + X + "' from role loader for copy", false),
        Arguments.of("PUBLIC", "revoke assumerole on '" + X + "' from public for copy", false));
  }

  @ParameterizedTest(name = "[{index}] to: [{0}]; {1}")
  @MethodSource("statements")
  void checkReadsTheKindFromTheKeyWord(String registryTo, String statement, boolean allowed) throws IOException {
    Path registry = registry(registryTo);
    Path script = Files.writeString(dir.resolve("a.sql"), statement + ";\n" + COPY);
    CliRun run = CliRun.of("check", "--registry", registry.toString(), "--user", "bob", "--format", "json",
        script.toString());
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(allowed ? 0 : 1);
    if (!allowed) {
      assertThat(run.out()).contains("ASSUMEROLE_NOT_GRANTED");
    }
  }

  @ParameterizedTest(name = "[{index}] to: [{0}]; {1}")
  @MethodSource("statements")
  void theDriverReadsTheKindFromTheKeyWord(String registryTo, String statement, boolean allowed) throws IOException {
    Path registry = registry(registryTo);
    Path script = Files.writeString(dir.resolve("h.sql"), "create table t (a int);\n" + statement + ";\n" + COPY);
    Path file = dir.resolve("s3/acmedata/redshift/x/f");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "5\n");
    CliRun run = CliRun.of("run", "--url", "jdbc:iamguard:h2:mem:" + UUID.randomUUID(), "--registry",
        registry.toString(), "--user", "bob", "--local-s3", dir.resolve("s3").toString(), script.toString());
    assertThat(run.out()).as(run.err()).contains(script + ":3 [3] COPY " + (allowed ? "ALLOW" : "DENY"));
  }

  /**
   * GRANT ... ON ALL TO PUBLIC is its own finding (GRANT_ALL_TO_PUBLIC); ON ALL to a user named
   * a user named "PUBLIC" may give every role to that user only, but "public" quoted in any case is
   * one, as the server may read it as PUBLIC (a name with a non-ASCII letter is not).
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("allToPublic")
  void onlyTheKeyWordPublicIsEveryUserForGrantAllToPublic(String grantee, boolean finding) throws IOException {
    Path registry = registry("user1");
    Path script = Files.writeString(dir.resolve("p.sql"), "grant assumerole on all to " + grantee + " for copy;\n");
    CliRun run = CliRun.of("check", "--registry", registry.toString(), "--user", "bob", "--format", "json",
        script.toString());
    if (finding) {
      assertThat(run.out()).as(run.err()).contains("GRANT_ALL_TO_PUBLIC");
    } else {
      assertThat(run.out()).as(run.err()).doesNotContain("GRANT_ALL_TO_PUBLIC");
    }
  }

  static Stream<Arguments> allToPublic() {
    return Stream.of(Arguments.of("public", true), Arguments.of("PUBLIC", true), Arguments.of("user1, public", true),
        Arguments.of("\"PUBLIC\"", true), Arguments.of("\"Public\"", true), Arguments.of("\"public\"", true),
        Arguments.of("\"publ\u0131c\"", false), Arguments.of("\"public \"", false),
        Arguments.of("group public", false));
  }

  /** A user's name that the registry would read as a group, a role or PUBLIC: refused, with its line. */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("ambiguousUsers")
  void importRefusesAUserTheRegistryCannotName(String name) throws IOException {
    CliRun run = importing("\"" + name + "\",user");
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).contains("g.csv: line 3: identity_name \"" + name + "\" is a user");
    assertThat(run.out()).isEmpty();
  }

  static List<String> ambiguousUsers() {
    return List.of("group:etl", "GROUP:etl", "Group:", "role:loader", "ROLE:x", "public", "PUBLIC", "Public",
        "role:group:etl");
  }

  /** Names that only look odd are the users they name; groups and roles keep their kind. */
  @ParameterizedTest(name = "[{index}] {0},{1} -> {2}")
  @MethodSource("plainGrantees")
  void importWritesEveryOtherGranteeAsItsKind(String name, String type, String written) throws IOException {
    CliRun run = importing("\"" + name + "\"," + type);
    assertThat(run.code()).as(run.err()).isZero();
    Path imported = Files.writeString(dir.resolve("imported.yaml"), run.out(), StandardCharsets.UTF_8);
    assertThat(CliRun.of("registry", "validate", "--format", "json", imported.toString()).code()).isNotEqualTo(2);
    assertThat(run.out()).contains(written);
  }

  /** The registry has no user name with a space: the import refuses it (as before), never grants someone else. */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("spacedUsers")
  void importRefusesAUserNameWithASpace(String name) throws IOException {
    CliRun run = importing("\"" + name + "\",user");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("user name \"" + name + "\" must be non-empty without spaces");
    assertThat(run.out()).isEmpty();
  }

  static List<String> spacedUsers() {
    return List.of("a b:c", "group etl", "x group:etl");
  }

  static Stream<Arguments> plainGrantees() {
    return Stream.of(
        Arguments.of("a:b:c", "user", "a:b:c"),
        Arguments.of("user:group:etl", "user", "user:group:etl"),
        Arguments.of("etl:group", "user", "etl:group"),
        Arguments.of("publicity", "user", "publicity"),
        Arguments.of("etl", "group", "group:etl"),
        Arguments.of("loader", "role", "role:loader"),
        Arguments.of("", "public", "PUBLIC"));
  }

  private CliRun importing(String row) throws IOException {
    String chain = "\"arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB\"";
    Path csv = Files.writeString(dir.resolve("g.csv"), "iam_arn,command_type,identity_id,identity_name,identity_type\n"
        + chain + ",COPY,100,user1,user\n" + chain + ",COPY,101," + row + "\n");
    String seed = "src/test/resources/awscli/seed/";
    return CliRun.of("registry", "import", "--iam", seed + "account-123456789012.json",
        seed + "account-210987654321.json", "--redshift", seed + "describe-clusters.json", "--grants", csv.toString());
  }

  private Path registry(String to) throws IOException {
    return Files.writeString(dir.resolve("reg.yaml"), String.join("\n",
        "version: 1",
        "clusters:",
        "  - id: my-cluster",
        "    account: \"123456789012\"",
        "    region: us-west-2",
        "    attached_roles: [" + X + "]",
        "roles:",
        "  - arn: " + X,
        "    allow:",
        "      s3_read: [\"s3://acmedata/redshift/\"]",
        "grants:",
        "  - on: [" + X + "]",
        "    to: [" + to + "]",
        "    for: [COPY]",
        "users:",
        "  bob: { groups: [etl], roles: [loader] }",
        ""));
  }
}
