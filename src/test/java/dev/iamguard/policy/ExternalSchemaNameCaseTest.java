package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SqlScript;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which external schema a name is, compared as the server compares names: Redshift folds the ASCII
 * letters of a name only (SchemaNameServerTest), so {@code AbÀZ} is the schema {@code abÀz} and
 * {@code abàz} another one, and {@code ſpectrum} (long s) is not {@code spectrum}. The decision
 * read here: a search_path naming an external schema in a transaction aborts it, so a grant in it
 * is not kept and the COPY after the COMMIT is denied (SearchPathInTransactionTest); a search_path
 * naming another schema keeps the grant. The class of input: every char beyond ASCII that Java's
 * case mapping changes (computed), in a schema the script creates and in the path as written and
 * as Java's case partner; and every letter of the registry's {@code spectrum} replaced by each char
 * beyond ASCII whose Java case mapping lands on it.
 *
 * <p>Before: the session's catalog keyed a created schema by Java's {@code toLowerCase} and the
 * registry compared names by {@code equalsIgnoreCase}, so 2,273 of the 2,298 partner names and the
 * one {@code spectrum} look-alike ({@code ſpectrum}) were read as the external schema (2,274 of
 * 4,596 differed, all denied where the server keeps the grant). With the catalog's keys in ASCII but
 * its look-up still through {@code toLowerCase}, 1,142 created schemas were no longer found in the
 * path and the COPY after the transaction allowed on a grant the server had not kept.
 */
class ExternalSchemaNameCaseTest {
  private static final String CHAIN = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  private static final Guard GUARD = new Guard(SeedScenarioTest.sample("registry.yaml"));

  /** The verdict on a COPY after a transaction that grants the role to user3 and sets the search_path to {@code path}. */
  private static Verdict copyAfterPath(String created, String path) {
    String script = "create external schema " + created + " from data catalog database 'exampledb' iam_role " + CHAIN
        + ";\nbegin;\ngrant assumerole on " + CHAIN + " to user3 for copy;\nset search_path to " + path
        + ";\ncommit;\ncopy t from 's3://companyb/redshift/x/' iam_role " + CHAIN + ";";
    Session session = Session.of("user3", null);
    Decision decision = GUARD.inspect(SqlScript.parse(script), session.withGrants(session.grants().commit()));
    return decision.statements().stream().filter(d -> d.statement().command().kind() == CommandKind.COPY)
        .findFirst().orElseThrow().verdict();
  }

  /** {@code c}'s Java case partner: its upper case, or else its lower case. */
  private static char partner(char c) {
    char upper = Character.toUpperCase(c);
    return upper != c ? upper : Character.toLowerCase(c);
  }

  @Test
  void aSchemaIsTheOneItsNameNamesInAsciiCase() {
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (char c : SchemaNameServerTest.casedChars()) {
      String created = "Ab" + c + "Z";
      String asWritten = "aB" + c + "z";
      String other = "Ab" + partner(c) + "Z";
      for (String[] path : new String[][] {{asWritten, "DENY"}, {other, "ALLOW"}}) {
        Verdict verdict = copyAfterPath(created, path[0]);
        compared++;
        if (verdict != Verdict.valueOf(path[1])) {
          differ.add("created " + created + ", search_path " + path[0] + ": " + verdict);
        }
      }
    }
    for (String path : spectrumLookalikes()) {
      Verdict verdict = copyAfterPath("made", path);
      compared++;
      if (verdict != (path.equals("SPECTRUM") ? Verdict.DENY : Verdict.ALLOW)) {
        differ.add("the registry's spectrum, search_path " + path + ": " + verdict);
      }
    }
    System.out.printf("ExternalSchemaNameCaseTest: %d compared, %d differ (%d allowed where the server aborts the grant)%n",
        compared, differ.size(), differ.stream().filter(d -> d.endsWith("ALLOW")).count());
    assertThat(compared).isGreaterThan(4000);
    assertThat(differ).as("schemas read unlike the server").isEmpty();
  }

  /** {@code SPECTRUM} (the registry's schema), and {@code spectrum} with each letter replaced by each char beyond ASCII Java folds onto it. */
  private static List<String> spectrumLookalikes() {
    String word = "spectrum";
    List<String> paths = new ArrayList<>(List.of("SPECTRUM"));
    for (char c : SchemaNameServerTest.casedChars()) {
      for (int i = 0; i < word.length(); i++) {
        if (Character.toLowerCase(Character.toUpperCase(c)) == word.charAt(i) || Character.toLowerCase(c) == word.charAt(i)) {
          paths.add(word.substring(0, i) + c + word.substring(i + 1));
        }
      }
    }
    assertThat(paths).as("look-alikes of spectrum").contains("\u017fpectrum");
    return paths;
  }
}
