package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names the server reports are exact; names people write are folded as Redshift folds an unquoted
 * name, only in their ASCII letters. Java's Unicode case mapping read distinct names as one (the
 * review: {@code "CAROL"} and a Kelvin-sign {@code "\u212Aarol"} got what was granted to carol and
 * karol). Differential, against the throwaway PostgreSQL, which like Redshift with
 * {@code enable_case_sensitive_identifier} keeps quoted names and folds unquoted ASCII letters only.
 *
 * <p>Generated: a class of names (ASCII case variants; the Kelvin sign, dotless i, Turkish dotted
 * I, i with a combining dot, long s, German sharp s, fullwidth letters, a combining acute beside
 * the precomposed é and É) x what the registry grants by name (to the user, to a group, to a role)
 * and whom a role's trust names. The server is made to say the same grants in SQL, written as the
 * registry writes them (unquoted), and is asked, as each name, whether it holds them; the trust
 * oracle is IAM's exact match of the database user's ARN against those the trust lists.
 */
class NameFoldingTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/name-folding-registry.yaml";
  /** The names the registry writes (unquoted): users, and after grp_ and rl_ groups and roles. */
  private static final List<String> BASES = List.of("carol", "karol", "iris", "sam", "strasse", "ren\u00E9");
  private static final List<String> NAMES = List.of(
      "carol", "CAROL", "Carol", "karol", "KAROL", "iris", "IRIS", "Iris", "sam", "SAM", "strasse", "STRASSE",
      "\u212Aarol", "\u212AAROL", // Kelvin sign: Unicode lower case is k
      "\u0131ris", "\u0131RIS", // dotless i: Unicode upper case is I
      "\u0130ris", "\u0130RIS", // Turkish dotted I: Unicode lower case is i (and a combining dot)
      "i\u0307ris", // i and a combining dot above: what Java makes of a lower-cased İ
      "\u017Fam", "\u017FAM", // long s: Unicode upper case is S
      "stra\u00DFe", "STRA\u00DFE", // sharp s: upper case SS
      "\uFF43arol", "\uFF23AROL", "\uFF53am", // fullwidth c, C and s
      "ren\u00E9", "REN\u00C9", "Ren\u00E9", "rene\u0301", "RENE\u0301");
  private static final String[] FAMILIES = {"user", "group", "role", "trust"};

  @Test
  void namesTheServerReportsMatchOnlyWhatTheServerHoldsTheSame() throws SQLException {
    createRoles();
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    try (Connection connection = guarded(); Statement statement = connection.createStatement()) {
      for (int i = 0; i < NAMES.size(); i++) {
        String name = NAMES.get(i);
        for (String family : FAMILIES) {
          String member = switch (family) {
            case "group" -> "m_grp_" + i;
            case "role" -> "m_rl_" + i;
            default -> name;
          };
          statement.execute("SET SESSION AUTHORIZATION " + quoted(member));
          String role = switch (family) {
            case "group" -> "GroupGranted";
            case "role" -> "RoleGranted";
            case "trust" -> "TrustsNamed";
            default -> "UserGranted";
          };
          Decision decision = connection.unwrap(IamguardConnection.class).decisionFor(
              "COPY nf_t FROM 's3://iamguard-names/in/x.csv' IAM_ROLE 'arn:aws:iam::123456789012:role/" + role + "' CSV");
          boolean server = family.equals("trust") ? BASES.contains(name) : serverHolds(connection, "g_" + family);
          if (decision.allowed() != server) {
            wrong.add(family + " " + name + " " + name.codePoints().mapToObj(Integer::toHexString).toList() + ": guard "
                + (decision.allowed() ? "ALLOW" : "DENY " + decision.findings().get(0).message()) + ", server "
                + (server ? "ALLOW" : "DENY"));
          }
          statement.execute("RESET SESSION AUTHORIZATION");
          cases++;
        }
      }
    }
    assertThat(cases).isEqualTo(NAMES.size() * FAMILIES.length);
    assertThat(wrong).as("decisions unlike the server's").isEmpty();
  }

  /**
   * A declared identity ({@code check}'s {@code --user}, a target that cannot report its user)
   * follows the text's {@code SET SESSION AUTHORIZATION}, whose quoted name is as exact as the
   * server's: Redshift keeps a quoted user name's case whatever enable_case_sensitive_identifier
   * says. Every copy of the session folded it as a name a person writes, so {@code SET SESSION
   * AUTHORIZATION "CAROL"} was judged as carol's (granted, trusted), and the server ran the COPY as
   * CAROL, who holds neither: the same names and oracle as above, for the user's own grant and the
   * trust (a switched-to user's groups and roles a declared identity does not know), and for the
   * owner of a SECURITY DEFINER procedure given by {@code ALTER PROCEDURE ... OWNER TO}.
   */
  @Test
  void aQuotedNameTheTextSwitchesToIsTheServersUserOnADeclaredIdentity() throws Exception {
    createRoles();
    dev.iamguard.policy.Guard guard = new dev.iamguard.policy.Guard(dev.iamguard.policy.registry.RegistryLoader.load(
        java.nio.file.Path.of("src/test/resources/jdbc/name-folding-registry.yaml")));
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    try (Connection server = DriverManager.getConnection("jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/"
        + LocalPostgres.DATABASE, POSTGRES.redshiftDriverProperties()); Statement statement = server.createStatement()) {
      for (String name : NAMES) {
        for (String family : List.of("user", "trust")) {
          String copy = "COPY nf_t FROM 's3://iamguard-names/in/x.csv' IAM_ROLE 'arn:aws:iam::123456789012:role/"
              + (family.equals("user") ? "UserGranted" : "TrustsNamed") + "' CSV";
          statement.execute("SET SESSION AUTHORIZATION " + quoted(name));
          boolean holds = family.equals("trust") ? BASES.contains(name) : serverHolds(server, "g_user");
          statement.execute("RESET SESSION AUTHORIZATION");
          for (String text : List.of("SET SESSION AUTHORIZATION " + quoted(name) + ";\n" + copy,
              "create procedure nf_p() language plpgsql security definer as $$ begin " + copy + "; end $$;\n"
                  + "alter procedure nf_p() owner to " + quoted(name) + ";\ncall nf_p()")) {
            Decision decision = guard.inspect(text, dev.iamguard.policy.Session.of("postgres", "local-cluster"));
            boolean allowed = decision.statements().get(decision.statements().size() - 1).verdict()
                == dev.iamguard.policy.Verdict.ALLOW;
            cases++;
            if (allowed != holds) {
              wrong.add(family + " " + name + " " + name.codePoints().mapToObj(Integer::toHexString).toList() + ": "
                  + text.substring(0, 20) + "...: guard " + (allowed ? "ALLOW" : "DENY") + ", server "
                  + (holds ? "ALLOW" : "DENY"));
            }
          }
        }
      }
    }
    assertThat(cases).isEqualTo(NAMES.size() * 4);
    assertThat(wrong).as(wrong.size() + " of " + cases + " decisions unlike the server's").isEmpty();
  }

  /** Whether the server says the current user holds {@code marker}, granted as the registry grants. */
  private static boolean serverHolds(Connection connection, String marker) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select pg_has_role(current_user, '" + marker + "', 'member')")) {
      rows.next();
      return rows.getBoolean(1);
    }
  }

  private static Connection guarded() throws SQLException {
    Properties properties = POSTGRES.redshiftDriverProperties();
    properties.setProperty("iamguard.registry", REGISTRY);
    properties.setProperty("iamguard.cluster", "local-cluster");
    return DriverManager.getConnection("jdbc:iamguard:redshift://127.0.0.1:" + POSTGRES.port() + "/"
        + LocalPostgres.DATABASE, properties);
  }

  private static String quoted(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static boolean rolesCreated;

  /**
   * The registry's names, created and granted unquoted as the registry writes them; then every
   * name of the class quoted (so kept exact) where the server does not already hold it, with a
   * member of a group and of a role so named.
   */
  private static void createRoles() throws SQLException {
    if (rolesCreated) {
      return;
    }
    List<String> sql = new ArrayList<>(List.of("create role g_user", "create role g_group", "create role g_role",
        "create table nf_t (id int)"));
    for (String base : BASES) {
      sql.add("create role " + base + " login");
      sql.add("create role grp_" + base);
      sql.add("create role rl_" + base);
      sql.add("grant g_user to " + base);
      sql.add("grant g_group to grp_" + base);
      sql.add("grant g_role to rl_" + base);
    }
    Set<String> made = new LinkedHashSet<>();
    for (String base : BASES) {
      made.add(base);
    }
    for (int i = 0; i < NAMES.size(); i++) {
      String name = NAMES.get(i);
      if (made.add(name)) {
        sql.add("create role " + quoted(name) + " login");
        sql.add("create role " + quoted("grp_" + name));
        sql.add("create role " + quoted("rl_" + name));
      }
      sql.add("create role m_grp_" + i + " login in role " + quoted("grp_" + name));
      sql.add("create role m_rl_" + i + " login in role " + quoted("rl_" + name));
    }
    try (Connection c = DriverManager.getConnection("jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/"
        + LocalPostgres.DATABASE, POSTGRES.redshiftDriverProperties()); Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
    rolesCreated = true;
  }
}
