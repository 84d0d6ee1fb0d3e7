package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code check}, {@code rewrite} and {@code suggest} take {@code --user} as one database user, and
 * refuse alike (exit 2, the value named, nothing read or written) every spelling the registry reads
 * as another grantee or cannot name: {@code PUBLIC} in any case, {@code group:} and {@code role:} in
 * any case, a name holding white space. Before, {@code check} and {@code rewrite} judged
 * {@code --user group:etl} as a user nobody can grant to, while {@code suggest} refused it. The
 * oracle is README's registry reading ({@code to:}), written out here by hand.
 */
class DatabaseUserOptionTest {
  private static final String SCRIPT = "COPY t FROM 's3://acmedata/redshift/x' IAM_ROLE default;\n";
  /** Every char Java (and so the registry's name check) takes for white space, some of them. */
  private static final List<Character> SPACES = List.of(' ', '\t', '\n', '\r', '\u000b', '\f', '\u2003', '\u3000',
      '\u1680', '\u2028');

  /** The hand-written oracle: whether README's registry reading can name {@code name} as one user. */
  private static boolean nameableUser(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (char c : name.toCharArray()) {
      if (SPACES.contains(c)) {
        return false;
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return !lower.equals("public") && !lower.startsWith("group:") && !lower.startsWith("role:");
  }

  /** Every case spelling of {@code word}. */
  private static List<String> cases(String word) {
    List<String> out = new ArrayList<>();
    for (int mask = 0; mask < 1 << word.length(); mask++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < word.length(); i++) {
        char c = word.charAt(i);
        b.append((mask >> i & 1) == 1 ? Character.toUpperCase(c) : c);
      }
      if (!out.contains(b.toString())) {
        out.add(b.toString());
      }
    }
    return out;
  }

  /** Every refused spelling this test enumerates. */
  private static List<String> refused() {
    List<String> names = new ArrayList<>(cases("public"));
    for (String prefix : List.of("group:", "role:")) {
      for (String spelled : cases(prefix)) {
        names.add(spelled + "etl");
        names.add(spelled); // the prefix alone names a group or role called ""
        names.add(spelled + "user1");
      }
    }
    for (char space : SPACES) {
      names.add(String.valueOf(space));
      names.add("etl" + space + "user");
      names.add(space + "user1");
      names.add("user1" + space);
    }
    return names;
  }

  private static Path script() throws IOException {
    Path file = Files.createTempFile("user-option", ".sql");
    Files.writeString(file, SCRIPT);
    return file;
  }

  private static CliRun run(String command, String user, Path file) {
    return switch (command) {
      case "suggest" -> CliRun.of("suggest", "--registry", "samples/registry.yaml", "--user", user, "--format", "sql",
          file.toString());
      case "rewrite" -> CliRun.of("rewrite", "--registry", "samples/registry.yaml", "--user", user, "--in-place",
          file.toString());
      default -> CliRun.of(command, "--registry", "samples/registry.yaml", "--user", user, file.toString());
    };
  }

  @Test
  void everySpellingOfAnotherGranteeIsRefusedByAllThree() throws IOException {
    Path file = script();
    List<String> names = refused();
    assertThat(names).hasSizeGreaterThan(150).allSatisfy(n -> assertThat(nameableUser(n)).as(n).isFalse());
    for (String name : names) {
      for (String command : List.of("check", "rewrite", "suggest")) {
        CliRun run = run(command, name, file);
        assertThat(run.code()).as(command + " --user [" + name + "]").isEqualTo(2);
        assertThat(run.err()).as(command + " " + name).startsWith("iamguard: --user ")
            .contains(name.isBlank() ? "--user is empty" : "not a database user");
        assertThat(run.err().lines().count()).as("one line, whatever the value holds").isEqualTo(1);
        assertThat(run.out()).as(command + " " + name).isEmpty();
        assertThat(Files.readString(file)).as("rewrite --in-place wrote nothing").isEqualTo(SCRIPT);
      }
    }
    assertThat(run("check", "group:etl", file).err()).contains("--user \"group:etl\" names a group")
        .contains("--group");
    assertThat(run("rewrite", "Role:loader", file).err()).contains("--user \"Role:loader\" names a role");
    assertThat(run("suggest", "Public", file).err()).contains("--user \"Public\" names every user (PUBLIC)");
  }

  /** Names near the refused ones, which the registry names as users, are judged as before by all three. */
  @Test
  void usersWhoseNamesOnlyLookAlikeAreJudged() throws IOException {
    Path file = script();
    for (String name : List.of("user1", "publicity", "public_", "xpublic", "group", "role", "groups:etl", "group_etl",
        "grouP-etl", "roles:x", "role;x", "grp:etl", "etl\u00a0user", "\u00e9tl")) {
      assertThat(nameableUser(name)).as(name).isTrue();
      CliRun check = run("check", name, file);
      assertThat(check.code()).as("check " + name).isIn(0, 1);
      assertThat(check.err()).as(name).doesNotContain("not a database user");
      assertThat(run("rewrite", name, file).code()).as("rewrite " + name).isIn(0, 1);
      assertThat(run("suggest", name, file).code()).as("suggest " + name).isZero();
    }
    assertThat(run("check", "user1", file).code()).as("user1 may use the default role").isZero();
  }

  /** Generated spellings: the three commands refuse exactly the names the registry cannot name as a user. */
  @Property(tries = 150)
  void theThreeAgreeWithTheRegistryReading(@ForAll("spellings") String name) throws IOException {
    Path file = script();
    boolean refuse = !nameableUser(name);
    for (String command : List.of("check", "rewrite", "suggest")) {
      CliRun run = run(command, name, file);
      assertThat(run.code() == 2 && run.err().startsWith("iamguard: --user ")).as(command + " [" + name + "]")
          .isEqualTo(refuse);
    }
  }

  @Provide
  Arbitrary<String> spellings() {
    Arbitrary<String> prefix = Arbitraries.of("", "public", "PUBLIC", "Public", "group:", "GROUP:", "gRoUp:", "role:",
        "ROLE:", "Role:", "group", "role", "pub");
    Arbitrary<String> rest = Arbitraries.strings().withChars("abcxyzPUBLICgroup:_- \t\u2003\u00a0").ofMaxLength(6);
    return net.jqwik.api.Combinators.combine(prefix, rest).as((p, r) -> p + r);
  }
}
