package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several scripts given to one command are decided as {@code run} sends them: in order, on one
 * connection, so a script starts in the session the scripts before it left. A first script that
 * changes who runs what follows (SET SESSION AUTHORIZATION) or takes a permission away (REVOKE
 * ASSUMEROLE) makes a second script's COPY denied: {@code check} and {@code rewrite} must say so,
 * as they do for the two scripts joined into one and as {@code run} does (before the fix both
 * exited 0 for the two files: every file started in the given session).
 *
 * <p>The registry is samples/registry.yaml: RedshiftCopyUnload trusts only user1 and user2 of
 * my-cluster (trust.db_users) and user1 holds ASSUMEROLE on it through a grant FOR ALL.
 */
class ScriptsInOneSessionTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String COPY = "copy venue from 's3://acmedata/redshift/venue' "
      + "iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** Statements after which user1 may no longer run the COPY: spellings of two kinds of change. */
  static List<String> changes() {
    return List.of(
        "set session authorization 'user3'",
        "SET SESSION AUTHORIZATION user3",
        "Set /* who */ Session\n\tAuthorization -- next line\n \"user3\"",
        "set\r\nsession\rauthorization\t'user3'",
        "revoke assumerole on 'arn:aws:iam::123456789012:role/RedshiftCopyUnload' from user1 for copy",
        "REVOKE /*x*/ ASSUMEROLE ON 'arn:aws:iam::123456789012:role/RedshiftCopyUnload'\nFROM \"user1\" FOR ALL");
  }

  /** The first script: the change first, between other statements, or last without a semicolon. */
  static Stream<String> firstScripts() {
    List<String> scripts = new ArrayList<>();
    for (String change : changes()) {
      scripts.add(change + ";\n");
      scripts.add("select 1;\n" + change + ";\nselect 2;\n");
      scripts.add("-- setup\nselect 1;\n" + change);
    }
    return scripts.stream();
  }

  @ParameterizedTest
  @MethodSource("firstScripts")
  void theSecondFileIsDecidedInTheSessionTheFirstLeft(String first) throws IOException {
    Path a = write("a.sql", first);
    Path b = write("b.sql", COPY);
    // the oracle: the same statements as one script are denied
    Path joined = write("joined.sql", first + (first.endsWith("\n") ? "" : ";\n") + COPY);
    assertThat(check("text", joined.toString()).code()).isEqualTo(ExitCodes.DENIED);

    for (String[] paths : List.of(new String[] {a.toString(), b.toString()}, new String[] {folder(first).toString()})) {
      CliRun text = check("text", paths);
      assertThat(text.code()).as(text.out() + text.err()).isEqualTo(ExitCodes.DENIED);
      assertThat(text.out()).contains("b.sql:1:").contains(" DENY ");

      CliRun json = check("json", paths);
      assertThat(json.code()).isEqualTo(ExitCodes.DENIED);
      JsonNode statements = JSON.readTree(json.out()).get("statements");
      JsonNode copy = statements.get(statements.size() - 1);
      assertThat(copy.get("file").asText()).endsWith("b.sql");
      assertThat(copy.get("decision").asText()).isEqualTo("DENY");
      assertThat(JSON.readTree(json.out()).get("summary").get("denied").asInt()).isEqualTo(1);

      CliRun sarif = check("sarif", paths);
      assertThat(sarif.code()).isEqualTo(ExitCodes.DENIED);
      assertThat(JSON.readTree(sarif.out()).get("runs").get(0).get("results").size()).isGreaterThan(0);

      List<String> rewrite = new ArrayList<>(List.of("rewrite", "--diff", "--registry", REGISTRY, "--user", "user1"));
      rewrite.addAll(List.of(paths));
      CliRun diff = CliRun.of(rewrite.toArray(String[]::new));
      assertThat(diff.code()).isEqualTo(ExitCodes.DENIED);
      assertThat(diff.out()).isEmpty();
    }

    // the first script from standard input, the second a file
    CliRun mixed = CliRun.withStdin(first, "check", "--registry", REGISTRY, "--user", "user1", "-", b.toString());
    assertThat(mixed.code()).as(mixed.out()).isEqualTo(ExitCodes.DENIED);
  }

  /** The order matters: the COPY before the change is allowed (user1, every grant in place). */
  @ParameterizedTest
  @MethodSource("firstScripts")
  void aChangeAppliesOnlyToTheScriptsAfterIt(String first) throws IOException {
    Path a = write("a.sql", first);
    Path b = write("b.sql", COPY);
    CliRun run = check("json", b.toString(), a.toString());
    assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.OK);
    assertThat(JSON.readTree(run.out()).get("statements").get(0).get("decision").asText()).isEqualTo("ALLOW");
  }

  /** What {@code run} does with two scripts on H2: the session change carries over, the COPY is denied. */
  @ParameterizedTest
  @MethodSource("changes")
  void runDeniesTheSecondScriptToo(String change) throws IOException {
    if (!change.toLowerCase().contains("authorization")) {
      return; // H2 does not know REVOKE ASSUMEROLE: it would fail, not reach the COPY
    }
    Path a = write("a.sql", "create table venue(id int);\n" + change + ";\n");
    Path b = write("b.sql", COPY);
    CliRun run = CliRun.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY,
        "--user", "user1", "--local-s3", dir.resolve("s3").toString(), a.toString(), b.toString());
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.DENIED);
    assertThat(run.out()).contains("b.sql:1 [1] COPY DENY");
  }

  private Path folder(String first) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("scripts"));
    Files.writeString(folder.resolve("01-a.sql"), first);
    Files.writeString(folder.resolve("02-b.sql"), COPY);
    return folder;
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static CliRun check(String format, String... paths) {
    List<String> args = new ArrayList<>(List.of("check", "--registry", REGISTRY, "--user", "user1", "--format", format));
    args.addAll(List.of(paths));
    return CliRun.of(args.toArray(String[]::new));
  }
}
