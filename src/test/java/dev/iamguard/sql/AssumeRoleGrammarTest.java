package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GRANT and REVOKE ASSUMEROLE are read by the grammar of the Redshift documentation (r_GRANT,
 * r_REVOKE: every part required, FOR naming one of five commands). Redshift refuses any other
 * shape as a syntax error, so the guard reads each as a problem: a setup script's
 * {@code REVOKE ASSUMEROLE ON ALL FROM PUBLIC} without {@code FOR ALL} passed {@code check} and the
 * emulation on H2, and failed only on the cluster, leaving every role usable by every user.
 *
 * <p>The statements are built from every combination of the grammar's parts, then broken one part
 * at a time: each broken statement has exactly one problem, at the part that broke, whose message
 * prints no word of the statement outside the grammar's own (such a word may be a secret).
 */
class AssumeRoleGrammarTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::210987654321:role/RoleB";
  /** A word a problem must never print: the shape of an access key id. */
  private static final String SECRET_WORD = "AKIAIOSFODNN7EXAMPLE";

  private static final List<String> ONS = List.of("'" + A + "'", "'" + A + "', '" + B + "'", "'" + A + "," + B + "'",
      "DEFAULT", "default", "ALL", "All");
  private static final List<String> GRANTEES = List.of("reg_user1", "\"Mixed Case\"", "ROLE loader", "GROUP etl",
      "PUBLIC", "reg_user1, group etl, role loader, public", "\"for\"");
  private static final List<String> COMMANDS = List.of("ALL", "COPY", "UNLOAD", "EXTERNAL FUNCTION", "CREATE MODEL",
      "copy, unload", "external function, create model, all");

  /** One statement as the grammar writes it, with where each part starts. */
  private record Written(String head, String on, String toOrFrom, String grantees, String commands) {
    String text() {
      return head + " ASSUMEROLE ON " + on + " " + toOrFrom + " " + grantees + " FOR " + commands;
    }
  }

  private static List<Written> valid() {
    List<Written> all = new ArrayList<>();
    for (String head : List.of("GRANT", "REVOKE", "grant", "revoke")) {
      String toOrFrom = head.equalsIgnoreCase("GRANT") ? "TO" : "from";
      for (String on : ONS) {
        for (String grantees : GRANTEES) {
          for (String commands : COMMANDS) {
            all.add(new Written(head, on, toOrFrom, grantees, commands));
          }
        }
      }
    }
    return all;
  }

  private static RedshiftCommand one(String sql) {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).as(sql).hasSize(1);
    return statements.get(0).command();
  }

  @Test
  void everyStatementOfTheDocumentedGrammarIsReadWithoutProblem() {
    for (Written w : valid()) {
      for (String end : List.of("", ";", " ;", " -- done", "\n")) {
        RedshiftCommand command = one(w.text() + end);
        assertThat(command.problems()).as(w.text() + end).isEmpty();
        assertThat(command.grant().grantees()).as(w.text()).hasSize(w.grantees().split(",").length);
        assertThat(command.grant().commands()).as(w.text()).hasSize(w.commands().split(",").length);
        assertThat(command.grant().onAll()).isEqualTo(w.on().equalsIgnoreCase("ALL"));
        assertThat(command.grant().onDefault()).isEqualTo(w.on().equalsIgnoreCase("DEFAULT"));
      }
    }
  }

  /** Each statement with one part broken: the part, and where the problem must be reported. */
  private static List<String> broken(Written w) {
    String forList = " FOR " + w.commands();
    String tail = " " + w.toOrFrom() + " " + w.grantees() + forList;
    String start = w.head() + " ASSUMEROLE";
    String otherWay = w.toOrFrom().equalsIgnoreCase("TO") ? "FROM" : "TO";
    return List.of(
        start + tail, // no ON part
        start + " " + w.on() + tail, // ON left out
        start + " ON " + w.on() + forList, // no TO/FROM part
        start + " ON " + w.on() + " " + w.grantees() + forList, // TO/FROM left out
        start + " ON " + w.on() + " " + otherWay + " " + w.grantees() + forList, // the other one's word
        start + " ON " + w.on() + " " + w.toOrFrom() + forList, // no grantee
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + ", " + forList, // a comma, no grantee
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees(), // no FOR part
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + " " + w.commands(), // FOR left out
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + " FOR", // FOR with nothing
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + forList + ",", // a comma, nothing
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + " FOR SELECT", // not one of the five
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + " FOR " + SECRET_WORD,
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + forList + " " + SECRET_WORD, // after
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + forList + " WITH GRANT OPTION",
        start + " ON " + w.on() + " " + w.toOrFrom() + " " + w.grantees() + " FOR " + SECRET_WORD + ", COPY");
  }

  @Test
  void aStatementWithOnePartMissingOrWrongIsOneProblemThatPrintsNoWordOfTheStatement() {
    int statements = 0;
    for (Written w : valid()) {
      for (String sql : broken(w)) {
        RedshiftCommand command = one(sql);
        assertThat(command.kind()).as(sql).isIn(CommandKind.GRANT_ASSUMEROLE, CommandKind.REVOKE_ASSUMEROLE);
        assertThat(command.problems()).as(sql).hasSize(1);
        Problem problem = command.problems().get(0);
        assertThat(problem.kind()).as(sql).isEqualTo(Problem.Kind.UNPARSEABLE);
        assertThat(problem.reason()).as(sql).doesNotContain(SECRET_WORD, "reg_user1", "loader", "etl", "Mixed")
            .doesNotContainIgnoringCase("arn:");
        assertThat(problem.offset()).as(sql).isBetween(w.head().length(), sql.length());
        statements++;
      }
    }
    assertThat(statements).isEqualTo(valid().size() * 16);
  }

  @Test
  void theProblemNamesThePartThatIsMissing() {
    assertThat(reason("revoke assumerole on all from public"))
        .isEqualTo("REVOKE ASSUMEROLE needs FOR followed by ALL, COPY, UNLOAD, EXTERNAL FUNCTION or CREATE MODEL;"
            + " the statement ends here, which Redshift refuses as a syntax error");
    assertThat(reason("grant assumerole all to u for copy"))
        .isEqualTo("GRANT ASSUMEROLE needs ON followed by quoted IAM roles, DEFAULT or ALL; here stands ALL,"
            + " which Redshift refuses as a syntax error");
    assertThat(reason("grant assumerole on all from u for copy"))
        .startsWith("GRANT ASSUMEROLE needs TO followed by the users, roles, groups or PUBLIC it names; here stands FROM");
    assertThat(reason("grant assumerole on all to u for select"))
        .startsWith("GRANT ASSUMEROLE FOR takes ALL, COPY, UNLOAD, EXTERNAL FUNCTION or CREATE MODEL; here stands SELECT");
    assertThat(reason("grant assumerole on all to for copy"))
        .startsWith("GRANT ASSUMEROLE TO needs a user name, ROLE name, GROUP name or PUBLIC; here stands FOR");
    assertThat(reason("grant assumerole on all to u for copy tomorrow"))
        .startsWith("GRANT ASSUMEROLE ends with its FOR list; here stands a word,");
  }

  private static String reason(String sql) {
    List<Problem> problems = one(sql).problems();
    assertThat(problems).as(sql).hasSize(1);
    return problems.get(0).reason();
  }
}
