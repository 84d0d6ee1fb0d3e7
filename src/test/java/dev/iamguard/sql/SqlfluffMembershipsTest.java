package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import dev.iamguard.sql.MembershipChange.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A peer parser reads the memberships: sqlfluff's Redshift fixtures of {@code ALTER GROUP}, {@code
 * CREATE GROUP}, {@code CREATE USER} and {@code ALTER USER} (read in place from ../shared). For every
 * statement, what {@link Memberships} reads equals what its parse tree says: the group and user
 * references after the key words that join or part them, the {@code CREATEUSER} and {@code
 * NOCREATEUSER} key words that give or take the superuser flag, a user's RENAME that leaves its old
 * name nothing.
 */
class SqlfluffMembershipsTest {
  private static final String FOLDER = "corpus/external/sqlfluff-redshift";

  @Test
  void everyFixtureReadsAsItsParseTreeSays() throws IOException {
    Path folder = SharedFiles.require(FOLDER);
    int statements = 0;
    int changes = 0;
    for (String name : List.of("alter_group", "create_group", "create_user", "alter_user")) {
      List<Map<String, Object>> trees = statementNodes(folder.resolve(name + ".yml"));
      List<SqlStatement> parsed = SqlScript.parse(Files.readString(folder.resolve(name + ".sql"))).statements();
      assertThat(parsed).as(name).hasSize(trees.size());
      for (int i = 0; i < parsed.size(); i++) {
        List<MembershipChange> expected = expected(trees.get(i));
        assertThat(Memberships.of(parsed.get(i))).as("%s statement %s: %s", name, i + 1, parsed.get(i).text())
            .isEqualTo(expected);
        statements++;
        changes += expected.size();
      }
    }
    assertThat(statements).isEqualTo(7 + 6 + 17 + 40);
    assertThat(changes).as("the fixtures' joins, partings and flags").isEqualTo(9 + 6 + 5 + 4 + 4);
  }

  /** The changes a statement's tree shows, by Redshift's grammar of the statement its node names. */
  @SuppressWarnings("unchecked")
  private static List<MembershipChange> expected(Map<String, Object> statement) {
    String type = statement.keySet().iterator().next();
    List<Map<String, Object>> items = (List<Map<String, Object>>) statement.get(type);
    List<String> keywords = new ArrayList<>();
    List<MembershipChange> changes = new ArrayList<>();
    String subject = null; // the group altered or created, or the user
    for (Map<String, Object> item : items) {
      if (item.containsKey("keyword")) {
        String word = ((String) item.get("keyword")).toUpperCase(Locale.ROOT);
        keywords.add(word);
        if (word.equals("CREATEUSER") || word.equals("NOCREATEUSER")) {
          changes.add(new MembershipChange(word.equals("CREATEUSER"), Kind.SUPERUSER, null, Kind.USER, subject));
        }
        if (word.equals("RENAME") && type.equals("alter_group")) {
          changes.add(new MembershipChange(false, Kind.GROUP, subject, Kind.ANY, null));
        } else if (word.equals("RENAME")) { // a user renamed: its name holds nothing after
          changes.add(new MembershipChange(false, Kind.ANY, null, Kind.USER, subject));
          changes.add(new MembershipChange(false, Kind.SUPERUSER, null, Kind.USER, subject));
        }
        continue;
      }
      Object reference = item.containsKey("object_reference") ? item.get("object_reference") : item.get("role_reference");
      if (reference == null) {
        continue;
      }
      String referenced = name((Map<String, Object>) reference);
      if (subject == null) {
        subject = referenced;
      } else if (type.equals("alter_group") && keywords.contains("ADD")) {
        changes.add(new MembershipChange(true, Kind.GROUP, subject, Kind.USER, referenced));
      } else if (type.equals("alter_group") && keywords.contains("DROP")) {
        changes.add(new MembershipChange(false, Kind.GROUP, subject, Kind.USER, referenced));
      } else if (type.equals("create_group")) {
        changes.add(new MembershipChange(true, Kind.GROUP, subject, Kind.USER, referenced));
      } else if (type.equals("create_user_statement") && keywords.contains("GROUP")) {
        changes.add(new MembershipChange(true, Kind.GROUP, referenced, Kind.USER, subject));
      }
    }
    return changes;
  }

  /** A reference as the server keeps it: a naked name folded, a quoted one as written. */
  private static String name(Map<String, Object> reference) {
    if (reference.containsKey("naked_identifier")) {
      return ((String) reference.get("naked_identifier")).toLowerCase(Locale.ROOT);
    }
    String quoted = (String) reference.get("quoted_identifier");
    return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statementNodes(Path yml) throws IOException {
    Map<String, Object> tree = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(yml));
    Object file = tree.get("file");
    List<Object> entries = file instanceof List ? (List<Object>) file : List.of(file);
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Object entry : entries) {
      if (entry instanceof Map && ((Map<String, Object>) entry).containsKey("statement")) {
        statements.add((Map<String, Object>) ((Map<String, Object>) entry).get("statement"));
      }
    }
    return statements;
  }
}
