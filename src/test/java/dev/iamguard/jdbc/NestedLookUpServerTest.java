package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the guard asks the server's catalog at a CALL whose body runs other routines, counted in
 * the server's own statement log ({@code log_statement = all}, by the guarded connection's
 * backend pid): the bodies a body may run are asked in one round trip per body, however many
 * names it writes before {@code (}.
 */
class NestedLookUpServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final String COPY = "execute 'COPY id_t FROM ''s3://iamguard-identity/in/part-0.csv'' IAM_ROLE ''"
      + TRUSTS + "'' CSV';";

  /**
   * A CALL of a procedure whose body writes {@code n} distinct names before {@code (} (half of
   * them PL/pgSQL functions, a quarter built-ins, a quarter no routine at all) costs one catalog
   * round trip for the CALL's own name and one for the body's names, whatever {@code n} (one more
   * per {@link ServerIdentity#NAMES_PER_LOOK_UP} distinct names beyond the first).
   */
  @Test
  void aBodysNamesAreAskedInOneRoundTrip() throws SQLException {
    setUp();
    Map<Integer, Long> lookUps = new LinkedHashMap<>();
    for (int n : new int[] {1, 10, 30, 120, 300, 1200}) {
      StringBuilder body = new StringBuilder("declare v text; begin ");
      for (int i = 0; i < n; i++) {
        body.append(switch (i % 4) {
          case 0, 1 -> "perform rt_f" + i + "();";
          case 2 -> "v := upper('x') || format('%s', " + i + ") || md5('" + i + "') || coalesce(null, 'y');";
          default -> "if false then perform nothing_" + i + "(); end if;";
        }).append(' ');
      }
      body.append("end");
      try (Connection admin = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
          Statement statement = admin.createStatement()) {
        for (int i = 0; i < n; i += 4) {
          statement.execute("create or replace function rt_f" + i + "() returns int language plpgsql as $$ begin return 1; end $$");
          statement.execute("create or replace function rt_f" + (i + 1) + "() returns int language plpgsql as $$ begin return 1; end $$");
        }
        statement.execute("create or replace procedure rt_p" + n + "() language plpgsql as $$ " + body + " $$");
        statement.execute("grant all on all routines in schema public to public");
      }
      try (Connection guarded = open(); Statement statement = guarded.createStatement()) {
        statement.execute("set session authorization user1");
        lookUps.put(n, catalogLookUps(guarded, "call rt_p" + n + "()"));
      }
    }
    System.out.println("names in the body -> catalog round trips at its CALL: " + lookUps);
    // 1200 names are 903 distinct ones (600 functions, 300 missing, 3 built-ins): two look-ups of at most 500
    assertThat(lookUps).as("round trips by the number of names the body writes").allSatisfy((n, trips) ->
        assertThat(trips).as(n + " names").isEqualTo(n <= ServerIdentity.NAMES_PER_LOOK_UP ? 2 : 3));
  }

  /**
   * A quoted name holding a dot, a parenthesis, a quote, a space, capitals or a key word is the
   * routine's name as written, in a CALL, in a body and in a body's EXECUTE text. A name longer
   * than the server keeps (63 bytes on PostgreSQL) is cut by the server to its
   * longest whole-character prefix that fits, and a CALL of it runs the routine of the cut name
   * (the look-up finds it: the server cuts the name it is asked too, but the catalog then holds
   * other characters than the body wrote, which a batched look-up must not lose):
   * ASCII, two-byte and three-byte characters, cut exactly at the limit or a byte before it, in
   * the routine's name and its schema's, named by the CALL itself or by a body it runs, quoted or
   * not. The server runs the COPY as user3; the guard must deny it on every face.
   */
  @Test
  void aQuotedOrLongNameIsAskedAsTheServerReadsIt() throws SQLException {
    setUp();
    String longSchema = "ls_" + "s".repeat(70);
    List<String> names = List.of("lp_" + "x".repeat(70), "lq_" + "\u00e9".repeat(40), "lr" + "\u20ac".repeat(30),
        "q.dot", "q(paren", "q\"quote", "Q Mixed", "call", "lq.(\"" + "y".repeat(70));
    List<String> calls = new ArrayList<>();
    try (Connection admin = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create schema " + longSchema + "; grant usage on schema " + longSchema + " to public");
      for (String name : names) {
        for (String schema : List.of("public", longSchema)) {
          statement.execute("create procedure " + schema + "." + quote(name) + "() language plpgsql as $$ begin " + COPY
              + " end $$");
        }
        String head = "lh_" + calls.size();
        statement.execute("create procedure " + head + "() language plpgsql as $$ begin call " + quote(name) + "(); end $$");
        statement.execute("create procedure " + head + "e() language plpgsql as $$ begin execute 'call " + longSchema
            + "." + quote(name) + "()'; end $$");
        calls.add("call " + quote(name) + "()");
        calls.add("call " + longSchema + "." + quote(name) + "()");
        calls.add("call " + head + "()");
        calls.add("call " + head + "e()");
      }
      statement.execute("create procedure lh_x() language plpgsql as $$ begin call " + names.get(0) + "(); end $$");
      calls.add("call lh_x()");
      statement.execute("grant all on all routines in schema public, " + longSchema + " to public");
      statement.execute("set session authorization user3");
      for (String call : calls) {
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> statement.execute(call))
            .getMessage()).as("the server runs the COPY of " + call).contains("IAM_ROLE");
      }
    }
    List<String> wrong = new ArrayList<>();
    try (Connection guarded = open(); Statement statement = guarded.createStatement()) {
      statement.execute("set session authorization user3");
      for (Map.Entry<String, ServerIdentityTest.CallFace> face : ServerIdentityTest.CALL_FACES.entrySet()) {
        for (String call : calls) {
          try {
            face.getValue().call(guarded, call);
            wrong.add(face.getKey() + " " + call + ": ran");
          } catch (GuardDeniedException e) {
            if (!e.findings().stream().map(Finding::rule).toList().contains(RuleId.DB_USER_NOT_TRUSTED)) {
              wrong.add(face.getKey() + " " + call + ": " + e.getMessage());
            }
          } catch (SQLException e) {
            wrong.add(face.getKey() + " " + call + ": sent: " + e.getMessage());
          }
        }
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + calls.size() * ServerIdentityTest.CALL_FACES.size()
        + " calls not denied").isEmpty();
  }

  /**
   * On PostgreSQL a routine may be written in a language other than PL/pgSQL and SQL (PL/Python,
   * PL/Perl, ...) and run SQL of its own, a COPY as whoever runs it; the guard does not read such a
   * body, so a CALL that may run one (named by the CALL, or by a body it runs) is refused, not sent
   * unjudged. The stand-in language runs PL/pgSQL's handler under another name. A body naming an
   * internal function ({@code upper}, {@code int4abs}'s) or a C one still runs.
   */
  @Test
  void aRoutineInALanguageTheGuardDoesNotReadIsRefused() throws SQLException {
    setUp();
    List<String> calls = List.of("call lang_p()", "call lang_head()", "call lang_fhead()");
    try (Connection admin = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create language plother handler plpgsql_call_handler inline plpgsql_inline_handler"
          + " validator plpgsql_validator");
      statement.execute("create procedure lang_p() language plother as $$ begin " + COPY + " end $$");
      statement.execute("create function lang_f() returns int language plother as $$ begin " + COPY + " return 1; end $$");
      statement.execute("create procedure lang_head() language plpgsql as $$ begin call lang_p(); end $$");
      statement.execute("create procedure lang_fhead() language plpgsql as $$ begin perform lang_f(); end $$");
      statement.execute("create function lang_abs(int) returns int language internal strict as 'int4abs'");
      statement.execute("create procedure lang_plain() language plpgsql as $$ begin perform upper('x'), lang_abs(-1),"
          + " pg_catalog.textlen('x'); insert into id_t values (1); end $$");
      statement.execute("grant all on all routines in schema public to public");
      statement.execute("set session authorization user3");
      for (String call : calls) {
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> statement.execute(call))
            .getMessage()).as("the server runs the COPY of " + call).contains("IAM_ROLE");
      }
    }
    List<String> wrong = new ArrayList<>();
    for (String caller : List.of("user1", "user3")) {
      try (Connection guarded = open(); Statement statement = guarded.createStatement()) {
        statement.execute("set session authorization " + caller);
        for (Map.Entry<String, ServerIdentityTest.CallFace> face : ServerIdentityTest.CALL_FACES.entrySet()) {
          for (String call : calls) {
            try {
              face.getValue().call(guarded, call);
              wrong.add(face.getKey() + " " + call + " as " + caller + ": ran");
            } catch (SQLException e) {
              if (!GuardSqlStates.NOT_SUPPORTED.equals(e.getSQLState())
                  || !String.valueOf(e.getMessage()).contains("nothing was sent")) {
                wrong.add(face.getKey() + " " + call + " as " + caller + ": " + e.getMessage());
              }
            }
          }
          face.getValue().call(guarded, "call lang_plain()"); // internal and built-in functions: runs
        }
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + 2 * calls.size() * ServerIdentityTest.CALL_FACES.size()
        + " calls not refused").isEmpty();
  }

  /** The one-name look-up as it was before the batched one, the reference (PostgreSQL's form). */
  private static final String ONE_NAME = "select case when p.prosrc = '' then pg_catalog.pg_get_functiondef(p.oid)"
      + " else p.prosrc end, case when p.prosecdef then pg_catalog.pg_get_userbyid(p.proowner)::varchar end"
      + " from pg_catalog.pg_proc p, pg_catalog.pg_namespace n where p.pronamespace operator(pg_catalog.=) n.oid"
      + " and p.proname operator(pg_catalog.=) ? and p.prolang in (select l.oid from pg_catalog.pg_language l"
      + " where l.lanname operator(pg_catalog.=) 'plpgsql' or l.lanname operator(pg_catalog.=) 'sql')";

  private static List<String> oneName(Connection raw, List<String> name) throws SQLException {
    List<String> bodies = new ArrayList<>();
    // as written, and with its ASCII letters in lower case: Redshift folds a quoted name too unless
    // enable_case_sensitive_identifier is on, so CALL "EQ_A"() may run eq_a
    for (String routine : new java.util.LinkedHashSet<>(List.of(name.get(name.size() - 1),
        asciiLower(name.get(name.size() - 1))))) {
      for (String schema : name.size() > 1 ? new java.util.LinkedHashSet<>(List.of(name.get(name.size() - 2),
          asciiLower(name.get(name.size() - 2)))) : java.util.Collections.<String>singleton(null)) {
        try (java.sql.PreparedStatement statement = raw.prepareStatement(ONE_NAME
            + (schema != null ? " and n.nspname operator(pg_catalog.=) ?" : ""))) {
          statement.setString(1, routine);
          if (schema != null) {
            statement.setString(2, schema);
          }
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              bodies.add(rows.getString(1) + " | " + rows.getString(2));
            }
          }
        }
      }
    }
    return bodies;
  }

  /** Only A to Z lowered, as Redshift folds a name (the Kelvin sign stays what it is). */
  private static String asciiLower(String name) {
    StringBuilder lower = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      lower.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return lower.toString();
  }

  /** Routine names of the generated catalog, as the server stores them. */
  private static final List<String> POOL = List.of("eq_a", "eq_b", "Eq_A", "EQ_A", "eq.dot", "eq(paren", "eq\"quote",
      "upper", "format", "coalesce", "eq_sql", "eq_atomic", "eq_internal", "eq_missing", "eq_k\u212a", "eq_é",
      "eq_" + "l".repeat(70), "eq_" + "\u00e9".repeat(20), "eq_" + "\u20ac".repeat(25));
  private static final List<String> SCHEMAS = List.of("public", "nest_a", "nest_b", "Nest_A");

  /**
   * For generated sets of names a body may run (names in several schemas, overloads, names
   * differing only in case, quoted names holding a dot, a parenthesis or a quote, names of
   * built-ins, SQL-language and internal routines, names the server cuts to 63 bytes and non-ASCII
   * ones it keeps whole, qualified with a schema or a database and a schema, schemas that do not
   * exist), each name gets from the one look-up of them all exactly
   * the bodies the one-name look-up finds, of the name as written and of its ASCII letters in lower
   * case.
   */
  @Test
  void theBatchedLookUpFindsWhatTheOneNameLookUpFinds() throws SQLException {
    setUp();
    java.util.Random random = new java.util.Random(Long.getLong("iamguard.lookUpSeed", 20261206L));
    try (Connection admin = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create schema \"Nest_A\"; grant usage on schema \"Nest_A\" to public");
      int n = 0;
      for (String schema : SCHEMAS) {
        for (String name : POOL) {
          if (random.nextInt(3) == 0 || name.equals("eq_missing")) {
            continue;
          }
          String qualified = quote(schema) + "." + quote(name);
          String owner = random.nextBoolean() ? " security definer" : "";
          n++;
          if (name.equals("eq_sql")) {
            statement.execute("create function " + qualified + "() returns int language sql" + owner + " as $$ select " + n + " $$");
          } else if (name.equals("eq_atomic")) {
            statement.execute("create function " + qualified + "() returns int language sql" + owner + " return " + n);
          } else if (name.equals("eq_internal")) {
            statement.execute("create function " + qualified + "(int) returns int language internal strict as 'int4abs'");
          } else {
            boolean function = random.nextBoolean();
            statement.execute("create " + (function ? "function " : "procedure ") + qualified + "()"
                + (function ? " returns int" : "") + " language plpgsql" + owner + " as $$ begin perform " + n + "; "
                + (function ? "return 1; " : "") + "end $$");
            if (random.nextInt(3) == 0) {
              statement.execute("create procedure " + qualified + "(x int) language plpgsql as $$ begin perform x + " + n
                  + "; end $$");
            }
          }
        }
      }
    }
    try (Connection raw = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties())) {
      ServerIdentity identity = new ServerIdentity(raw, Identity.login(targetUrl(), new Properties(),
          GuardConfig.resolve(new Properties(), Map.of(), k -> null, k -> null)));
      int compared = 0;
      int found = 0;
      for (int round = 0; round < 60; round++) {
        List<List<String>> names = new ArrayList<>();
        for (int i = 1 + random.nextInt(12); i > 0; i--) {
          String routine = POOL.get(random.nextInt(POOL.size()));
          names.add(switch (random.nextInt(4)) {
            case 0 -> List.of(SCHEMAS.get(random.nextInt(SCHEMAS.size())), routine);
            case 1 -> List.of(LocalPostgres.DATABASE, random.nextBoolean() ? "nest_a" : "no_such_schema", routine);
            default -> List.of(routine);
          });
        }
        Map<List<String>, List<ServerIdentity.Body>> batched = identity.calledBodies(names);
        assertThat(batched.keySet()).containsExactlyInAnyOrderElementsOf(new java.util.LinkedHashSet<>(names));
        for (List<String> name : names) {
          List<String> expected = oneName(raw, name);
          assertThat(batched.get(name)).as(name.toString()).map(b -> b.source() + " | " + b.definer())
              .containsExactlyInAnyOrderElementsOf(expected);
          assertThat(identity.calledBodies(name, true)).as(name + " asked alone").isEqualTo(batched.get(name));
          compared++;
          found += expected.size();
        }
      }
      assertThat(compared).isGreaterThan(300);
      assertThat(found).as("bodies found").isGreaterThan(300);
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The statements carrying {@code pg_proc} the guard sends on {@code guarded} while it runs {@code call}. */
  private static long catalogLookUps(Connection guarded, String call) throws SQLException {
    String pid;
    try (Statement statement = guarded.createStatement(); ResultSet rows = statement.executeQuery("select pg_backend_pid()")) {
      rows.next();
      pid = rows.getString(1);
    }
    int before = POSTGRES.serverLog().length();
    try (Statement statement = guarded.createStatement()) {
      statement.execute(call);
    }
    String log = POSTGRES.serverLog().substring(before);
    return log.lines().filter(l -> l.contains("[" + pid + "]") && l.contains("pg_proc")).count();
  }

  private static boolean setUp;

  private static void setUp() throws SQLException {
    if (setUp) {
      return;
    }
    setUp = true;
    try (Connection admin = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute(NestedCallServerTest.ROLES_AND_SCHEMAS);
    }
  }

  static Connection open() throws SQLException {
    return POSTGRES.guardedConnection(REGISTRY);
  }

  private static String targetUrl() {
    return POSTGRES.redshiftUrl();
  }
}
