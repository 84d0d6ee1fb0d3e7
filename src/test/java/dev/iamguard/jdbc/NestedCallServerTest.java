package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CALL runs more than the body of the procedure it names: what that body calls, statically
 * ({@code CALL p2()}), by a constant dynamic text ({@code EXECUTE 'call p2()'}, split by
 * {@code ||}), or as a PL/pgSQL function ({@code PERFORM f()}, {@code SELECT f() INTO v},
 * {@code v := f()}, {@code EXECUTE 'select f()'}), and so on down a chain, each SECURITY INVOKER
 * routine as whoever runs the body that calls it, each SECURITY DEFINER one as its owner. Chains
 * of 2 to 4 routines are generated (invoker and definer owned by a trusted or an untrusted user
 * at every level, qualified names, unqualified names the session's search path finds and names
 * only a routine's own {@code SET search_path} finds, overloads, routines that call themselves
 * or the chain's head under a branch never taken, and routines that change who runs what follows:
 * a SET clause of role or session_authorization in their definition or by ALTER, or such a SET,
 * spelt with comments between its words, in an EXECUTEd text or by set_config, in their body),
 * and called through every face by user1, whom {@code TrustsUsers} trusts, and user3, whom it
 * does not.
 *
 * <p>The server is the oracle: the same chain with its COPY replaced by {@code RAISE EXCEPTION
 * 'ran-as:%', current_user}, called by the same user without the guard, says who the COPY would
 * run as. Whenever that is a user the role does not trust, the guard must deny the CALL before
 * sending it; otherwise the server must receive it (its COPY with IAM_ROLE fails there as a
 * syntax error, which shows it was sent), and a chain whose end runs no COPY must run. A chain
 * that changes who runs it may be denied even when the server would run its COPY as a trusted
 * user (the guard cannot know who that is), and one the server fails before its leaf (a change of
 * role inside a SECURITY DEFINER routine) must not reach its COPY.
 */
class NestedCallServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static final String TRUSTS = "arn:aws:iam::123456789012:role/TrustsUsers";
  private static final long SEED = Long.getLong("iamguard.nestedSeed", 20261206L);
  private static final int CHAINS = Integer.getInteger("iamguard.nestedChains", 48);
  /** The users, the table the COPY loads and the schemas the chains are created in. */
  static final String ROLES_AND_SCHEMAS = "create role user1 login password 'pw1'; create role user2 login password 'pw2';"
      + " create role user3 login; create table id_t (id int); grant insert on id_t to public;"
      + " create schema nest_a; create schema nest_b; grant usage, create on schema nest_a, nest_b to public;"
      + " grant create on schema public to public";
  private static final Pattern RAN_AS = Pattern.compile("ran-as:(\\w+)");

  /** The ways an application calls a procedure: as text, prepared, callable, in a batch. */
  private static final Map<String, ServerIdentityTest.CallFace> CALL_FACES = ServerIdentityTest.CALL_FACES;

  /** One routine of a chain. */
  record Level(boolean function, String owner, String schema, String hop, boolean selfCall, boolean overload,
      boolean headCall, String language, Identity identity) {
    Level withoutIdentity() {
      return new Level(function, owner, schema, hop, selfCall, overload, headCall, language, null);
    }

    Level withLanguage(String sql) {
      return new Level(true, owner, schema, hop, false, overload, false, sql,
          identity == null || identity.clause() ? identity : null);
    }
  }

  /**
   * A change of who runs a routine: its own SET clause ({@code clause}, in its definition or
   * {@code altered} after), or a statement of its body before what it calls.
   */
  record Identity(String text, boolean clause, boolean altered) {}

  /**
   * SET clauses of a routine that set who runs its body: r3, a role user1 and user3 are members of
   * (the role does not trust it), user3, and user2 (whom it trusts, but the guard cannot know).
   */
  private static final List<String> IDENTITY_CLAUSES = List.of("set role = r3", "SET \"ROLE\" TO r3",
      "set session_authorization = user3", "set session_authorization to user2",
      "set \"Session_Authorization\" = 'user3'");
  /** The same changes as statements of a body, spelt as the server reads them; LOCAL: the transaction ends them. */
  private static final List<String> IDENTITY_STATEMENTS = List.of("set local /* c */ role r3;",
      "set local -- c\n role r3;", "execute 'set local ' || 'role r3';", "perform set_config('role', 'r3', true);",
      "SET LOCAL SESSION /* a /* b */ c */ AUTHORIZATION user2;", "set /* x */ local \"role\" = 'r3';",
      "execute 'SET LOCAL session_authorization = ''user3''';");

  /** A chain of routines, level 0 the one the CALL names, the last one running the leaf. */
  record Chain(int id, List<Level> levels, boolean copies) {
    String name(String variant, int level) {
      return variant + id + "_" + level;
    }

    /** How level {@code level - 1} names level {@code level}: qualified in nest_a, else plainly. */
    String reference(String variant, int level) {
      Level target = levels.get(level);
      return (target.schema().equals("nest_a") ? "nest_a." : "") + name(variant, level);
    }

    String call(String variant) {
      return "call " + reference(variant, 0) + "()";
    }

    /** Whether a routine of the chain changes who runs what follows, which the guard cannot follow. */
    boolean changesIdentity() {
      return levels.stream().anyMatch(level -> level.identity() != null);
    }

    @Override
    public String toString() {
      return "chain " + id + (copies ? " (COPY)" : " (no COPY)") + " " + levels;
    }
  }

  private static final List<String> PROCEDURE_HOPS = List.of("call %s();", "execute 'call %s()';",
      "execute 'call ' || '%s()';", "CALL %s ( );");
  private static final List<String> FUNCTION_HOPS = List.of("perform %s();", "select %s() into v;", "v := %s();",
      "execute 'select %s()';", "if %s() > 0 then null; end if;");

  private static Chain chain(int id, Random random) {
    int depth = 1 + random.nextInt(3);
    List<Level> levels = new ArrayList<>();
    for (int i = 0; i <= depth; i++) {
      boolean function = i > 0 && random.nextInt(3) == 0;
      String owner = switch (random.nextInt(4)) {
        case 0 -> "user1";
        case 1 -> "user3";
        default -> null;
      };
      String schema = switch (random.nextInt(i == 0 ? 2 : 3)) {
        case 0 -> "public";
        case 1 -> "nest_a";
        default -> "nest_b"; // only the calling routine's own SET search_path finds it
      };
      String hop = function ? FUNCTION_HOPS.get(random.nextInt(FUNCTION_HOPS.size()))
          : PROCEDURE_HOPS.get(random.nextInt(PROCEDURE_HOPS.size()));
      Identity identity = switch (random.nextInt(6)) {
        case 0 -> new Identity(IDENTITY_CLAUSES.get(random.nextInt(IDENTITY_CLAUSES.size())), true, random.nextBoolean());
        case 1 -> new Identity(IDENTITY_STATEMENTS.get(random.nextInt(IDENTITY_STATEMENTS.size())), false, false);
        default -> null;
      };
      levels.add(new Level(function, owner, schema, hop, random.nextInt(4) == 0, i > 0 && random.nextInt(4) == 0,
          i == depth && random.nextInt(4) == 0, "plpgsql", identity));
    }
    for (int i = 1; i < depth; i++) {
      // a SQL function between two functions: SELECT next() as a string body, or a SQL-standard one (BEGIN ATOMIC)
      Level level = levels.get(i);
      if (level.function() && levels.get(i + 1).function() && random.nextBoolean()) {
        boolean atomic = random.nextBoolean() && !levels.get(i + 1).schema().equals("nest_b");
        levels.set(i, level.withLanguage(atomic ? "sql atomic" : "sql"));
      }
    }
    boolean definer = false;
    for (int i = 0; i < levels.size(); i++) {
      // the server fails a change of who runs a body inside a SECURITY DEFINER one: keep a quarter of those
      definer |= levels.get(i).owner() != null;
      if (definer && levels.get(i).identity() != null && random.nextInt(4) != 0) {
        levels.set(i, levels.get(i).withoutIdentity());
      }
    }
    return new Chain(id, List.copyOf(levels), random.nextInt(4) != 0);
  }

  /** The DDL of a chain: {@code variant} c runs the COPY (or, for a chain without one, an INSERT), q raises who runs it. */
  private static List<String> ddl(Chain chain, String variant) {
    List<String> ddl = new ArrayList<>();
    List<Level> levels = chain.levels();
    String copy = "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + TRUSTS + "' CSV";
    for (int i = levels.size() - 1; i >= 0; i--) {
      Level level = levels.get(i);
      boolean last = i == levels.size() - 1;
      StringBuilder body = new StringBuilder("declare v int; begin ");
      if (level.selfCall()) {
        body.append("if false then ").append(String.format(level.function() ? "perform %s();" : "call %s();",
            chain.reference(variant, i))).append(" end if; ");
      }
      if (level.headCall()) {
        body.append("if false then call ").append(chain.reference(variant, 0)).append("(); end if; ");
      }
      if (level.identity() != null && !level.identity().clause()) {
        body.append(level.identity().text()).append(' ');
      }
      if (!last) {
        Level next = levels.get(i + 1);
        body.append(String.format(next.hop(), chain.reference(variant, i + 1))).append(' ');
      } else if (variant.equals("q")) {
        body.append("raise exception 'ran-as:%', current_user; ");
      } else if (chain.copies()) {
        body.append("execute '").append(copy.replace("'", "''")).append("'; ");
      } else {
        body.append("insert into id_t values (").append(chain.id()).append("); ");
      }
      body.append(level.function() ? "return 1; end" : "end");
      String name = level.schema() + "." + chain.name(variant, i);
      boolean nextInB = !last && levels.get(i + 1).schema().equals("nest_b");
      String settings = (level.owner() != null ? " security definer" : "")
          + (nextInB ? " set search_path = nest_b, public" : "")
          + (level.identity() != null && level.identity().clause() && !level.identity().altered()
              ? " " + level.identity().text() : "");
      String next = last ? null : levels.get(i + 1).schema().equals("nest_a") ? "nest_a." + chain.name(variant, i + 1)
          : levels.get(i + 1).schema().equals("nest_b") ? chain.name(variant, i + 1) : "public." + chain.name(variant, i + 1);
      if (level.language().equals("sql")) {
        ddl.add("create function " + name + "() returns int language sql" + settings + " as $$ select " + next + "() $$");
      } else if (level.language().equals("sql atomic")) {
        // through a DO block: the driver would cut the text at the body's ';'
        ddl.add("do $d$ begin execute 'create function " + name + "() returns int language sql"
            + settings.replace("'", "''") + " begin atomic select " + next + "(); end'; end $d$");
      } else {
        ddl.add("create " + (level.function() ? "function " : "procedure ") + name + "()"
            + (level.function() ? " returns int" : "") + " language plpgsql" + settings + " as $$ " + body + " $$");
      }
      if (level.owner() != null) {
        ddl.add("alter " + (level.function() ? "function " : "procedure ") + name + "() owner to " + level.owner());
      }
      if (level.identity() != null && level.identity().altered()) {
        ddl.add("alter " + (level.function() ? "function " : "procedure ") + name + "() " + level.identity().text());
      }
      if (level.overload()) {
        // a namesake taking an int, harmless: every overload of a name counts, and this one denies nothing
        ddl.add("create " + (level.function() ? "function " : "procedure ") + name + "(n int)"
            + (level.function() ? " returns int" : "") + " language plpgsql as $$ begin insert into id_t values (n); "
            + (level.function() ? "return n; " : "") + "end $$");
      }
    }
    return ddl;
  }

  @Test
  void aCallIsDeniedWheneverARoutineItRunsWouldRunACopyAsAnUntrustedUser() throws SQLException {
    Random random = new Random(SEED);
    List<Chain> chains = new ArrayList<>();
    for (int i = 0; i < CHAINS; i++) {
      chains.add(chain(i, random));
    }
    try (Connection admin = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute(ROLES_AND_SCHEMAS);
      statement.execute("create role r3; grant r3 to user1, user3");
      for (Chain chain : chains) {
        for (String variant : List.of("c", "q")) {
          for (String sql : ddl(chain, variant)) {
            try {
              statement.execute(sql);
            } catch (SQLException e) {
              throw new AssertionError(sql + ": " + e.getMessage() + " " + e.getCause(), e);
            }
          }
        }
      }
      statement.execute("grant all on all routines in schema public, nest_a, nest_b to public");
    }
    int denied = 0;
    int sent = 0;
    int ran = 0;
    int failed = 0;
    int deniedUnknowable = 0;
    List<String> wrong = new ArrayList<>();
    for (String caller : List.of("user1", "user3")) {
      try (Connection raw = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
          Statement rawStatement = raw.createStatement();
          Connection guarded = open();
          Statement guardedStatement = guarded.createStatement()) {
        rawStatement.execute("set session authorization " + caller);
        guardedStatement.execute("set session authorization " + caller);
        for (Chain chain : chains) {
          // a role or session_authorization set in a SECURITY DEFINER context fails the CALL on the server
          String runsAs = chain.changesIdentity() ? ranAsOrFailure(rawStatement, chain.call("q"))
              : ranAs(rawStatement, chain.call("q"));
          boolean fails = runsAs == null;
          boolean mustDeny = !fails && chain.copies() && !runsAs.equals("user1") && !runsAs.equals("user2");
          for (Map.Entry<String, ServerIdentityTest.CallFace> face : CALL_FACES.entrySet()) {
            String context = face.getKey() + " " + chain.call("c") + " as " + caller + ", leaf runs as " + runsAs + ": "
                + chain;
            SQLException outcome = null;
            try {
              face.getValue().call(guarded, chain.call("c"));
            } catch (SQLException e) {
              outcome = e;
            }
            if (fails) {
              if (outcome == null || !(outcome instanceof GuardDeniedException)
                  && String.valueOf(outcome.getMessage()).contains("IAM_ROLE")) {
                wrong.add(context + ": the server fails the probe before its leaf, yet: " + outcome);
              } else {
                failed++;
              }
            } else if (mustDeny) {
              // after a change it cannot follow, the guard denies for a user it cannot know
              if (outcome instanceof GuardDeniedException g && (chain.changesIdentity()
                  || g.findings().stream().map(Finding::rule).toList().contains(RuleId.DB_USER_NOT_TRUSTED))) {
                denied++;
              } else {
                wrong.add(context + ": not denied: " + outcome);
              }
            } else if (chain.copies()) {
              if (outcome != null && !(outcome instanceof GuardDeniedException)
                  && String.valueOf(outcome.getMessage()).contains("IAM_ROLE")) {
                sent++;
              } else if (chain.changesIdentity() && outcome instanceof GuardDeniedException) {
                deniedUnknowable++; // run as user2 by session_authorization, or a change after the COPY's level
              } else {
                wrong.add(context + ": not sent: " + outcome);
              }
            } else if (outcome == null) {
              ran++;
            } else {
              wrong.add(context + ": a chain without COPY did not run: " + outcome);
            }
          }
        }
      }
    }
    assertThat(wrong).as(wrong.size() + " cases of " + (2 * CHAINS * CALL_FACES.size())
        + " the guard decided otherwise than the server's chain says").isEmpty();
    assertThat(denied).as("COPY run as user3 or a definer the role does not trust").isPositive();
    assertThat(sent).as("COPY run as user1").isPositive();
    assertThat(ran).as("chains without COPY").isPositive();
    assertThat(chains.stream().filter(Chain::changesIdentity).count()).as("chains changing who runs them").isPositive();
    assertThat(denied + sent + ran + failed + deniedUnknowable).isEqualTo(2 * CHAINS * CALL_FACES.size());
    System.out.println("NestedCallServerTest seed " + SEED + ", " + CHAINS + " chains: denied " + denied + ", sent " + sent
        + ", ran " + ran + ", failed on the server " + failed + ", denied for a user the guard cannot know " + deniedUnknowable);
    refusesWhatItCannotRead();
    judgesTheNamesakeARoutinesOwnSearchPathFinds();
  }

  /**
   * {@code CALL shade()} runs public.shade, whose own {@code SET search_path} makes its {@code CALL
   * shade()} run nest_b.shade and its COPY: the name the CALL and the body share is asked again for
   * every schema, not answered from what the CALL's own look-up found.
   */
  private static void judgesTheNamesakeARoutinesOwnSearchPathFinds() throws SQLException {
    try (Connection admin = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create procedure public.shade() language plpgsql set search_path = nest_b, public as $$"
          + " begin call shade(); end $$");
      statement.execute("create procedure nest_b.shade() language plpgsql as $$ begin execute 'COPY id_t FROM"
          + " ''s3://iamguard-identity/in/part-0.csv'' IAM_ROLE ''" + TRUSTS + "'' CSV'; end $$");
      statement.execute("grant all on all routines in schema public, nest_b to public; set session authorization user3");
      assertThat(org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> statement.execute("call shade()"))
          .getMessage()).as("the server runs nest_b's COPY").contains("IAM_ROLE");
    }
    try (Connection guarded = open(); Statement statement = guarded.createStatement()) {
      statement.execute("set session authorization user3");
      for (Map.Entry<String, ServerIdentityTest.CallFace> face : CALL_FACES.entrySet()) {
        GuardDeniedException denied = org.junit.jupiter.api.Assertions.assertThrows(GuardDeniedException.class,
            () -> face.getValue().call(guarded, "call shade()"), face.getKey());
        assertThat(denied.findings()).extracting(Finding::rule).contains(RuleId.DB_USER_NOT_TRUSTED);
        assertThat((Throwable) denied).hasMessageContaining("calls shade, which runs shade -> shade, a SECURITY INVOKER"
            + " routine whose body runs as whoever runs the body that calls it, user3");
      }
    }
  }

  /**
   * A body that calls a name the guard cannot read ({@code U&"..."} in a constant EXECUTE text),
   * or a chain nested deeper than the guard reads, is refused for every caller, trusted or not; a
   * chain as deep as it reads runs.
   */
  private static void refusesWhatItCannotRead() throws SQLException {
    int deepest = CallChecks.MAX_NESTING;
    try (Connection admin = DriverManager.getConnection(targetUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create procedure unread_0() language plpgsql as $$ begin execute 'call U&\"c0_\\0031\"()'; end $$");
      for (int i = 0; i <= deepest; i++) {
        statement.execute("create procedure deep_" + i + "() language plpgsql as $$ begin "
            + (i < deepest ? "call deep_" + (i + 1) + "();" : "insert into id_t values (" + i + ");") + " end $$");
      }
      statement.execute("grant all on all routines in schema public to public");
    }
    for (String caller : List.of("user1", "user3")) {
      try (Connection guarded = open(); Statement statement = guarded.createStatement()) {
        statement.execute("set session authorization " + caller);
        for (Map.Entry<String, ServerIdentityTest.CallFace> face : CALL_FACES.entrySet()) {
          for (String call : List.of("call unread_0()", "call deep_0()")) {
            SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> face.getValue().call(guarded, call), face.getKey() + " " + call);
            assertThat(refused.getSQLState()).as(face.getKey() + " " + call).isEqualTo(GuardSqlStates.NOT_SUPPORTED);
            assertThat(refused.getMessage()).contains("nothing was sent");
          }
          face.getValue().call(guarded, "call deep_1()"); // as deep as the guard reads: runs
        }
      }
    }
  }

  /** Who the probe chain's leaf runs as, or null when the server fails the chain before its leaf. */
  private static String ranAsOrFailure(Statement raw, String call) {
    try {
      raw.execute(call);
    } catch (SQLException e) {
      Matcher matcher = RAN_AS.matcher(String.valueOf(e.getMessage()));
      return matcher.find() ? matcher.group(1) : null;
    }
    throw new AssertionError(call + ": the probe's leaf did not run");
  }

  /** Who the probe chain's leaf runs as, from its exception, as the server reports it. */
  static String ranAs(Statement raw, String call) {
    try {
      raw.execute(call);
    } catch (SQLException e) {
      Matcher matcher = RAN_AS.matcher(String.valueOf(e.getMessage()));
      if (matcher.find()) {
        return matcher.group(1);
      }
      throw new AssertionError(call + ": the probe failed otherwise: " + e.getMessage(), e);
    }
    throw new AssertionError(call + ": the probe's leaf did not run");
  }

  private static Connection open() throws SQLException {
    return POSTGRES.guardedConnection(REGISTRY);
  }

  private static String targetUrl() {
    return POSTGRES.redshiftUrl();
  }
}
