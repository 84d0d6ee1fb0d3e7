package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.AuditEvent;
import dev.iamguard.jdbc.GuardDataSource;
import dev.iamguard.jdbc.GuardDeniedException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two faces of one guard decide a script alike: {@code check --format json} of a generated
 * script, and the same script run through a guarded H2 connection ({@code jdbc:iamguard:h2:}, the
 * same declared user, a local S3 folder holding every object the script reads), cut into texts at
 * random statement boundaries. Each statement's answer (allowed, denied, rewritten, and the text a
 * rewrite sends) must be the same on both faces.
 *
 * <p>The scripts are drawn from a seed ({@code -Diamguard.faces.seed}, {@code
 * -Diamguard.faces.scripts} for more): every auth-carrying command (COPY, UNLOAD, CREATE EXTERNAL
 * SCHEMA, FUNCTION and TABLE, CREATE MODEL, CREATE LIBRARY, CREATE DATABASE ... IAM_ROLE, GRANT and
 * REVOKE ASSUMEROLE) with roles the sample registry allows, denies, chains, names by alias or as
 * {@code DEFAULT}, written as IAM_ROLE or CREDENTIALS, with S3 locations inside and outside the
 * roles' prefixes; changes of identity (SET SESSION AUTHORIZATION in its forms, RESET, SET ROLE,
 * set_config, RESET ALL); transactions; CREATE PROCEDURE bodies holding such commands or calling an
 * earlier procedure, a SET of role or session_authorization in a definition, by ALTER PROCEDURE or
 * in a body, an earlier procedure given to another owner, made a definer or an invoker, or replaced,
 * and CALLs of them (also in a DO block); changes of group memberships (ALTER GROUP ADD or DROP USER,
 * RENAME, CREATE GROUP WITH USER, DROP GROUP, PostgreSQL's REVOKE of a group), each followed now and
 * then by a COPY with the chain granted to the group; comments, odd spacing, quoting and case.
 *
 * <p>The driver face is {@link GuardDataSource} over H2 (as {@code jdbc:iamguard:h2:} is: H2's
 * dialect, COPY and UNLOAD emulated in a local S3 folder, the identity declared), its answers read
 * from its audit events. H2 cannot run some statements Redshift runs (a PL/pgSQL procedure, its
 * CALL, SET and RESET ROLE, RESET ALL, set_config, ALTER GROUP and its kin): under the guard H2 takes them as no-ops, each
 * sent on its own and outside a transaction (through the driver a failed text in a transaction
 * takes back the pending grants, where {@code check} cannot know it fails: README, "What is
 * checked, and when"). A text the driver denies sends nothing, where {@code check} judges every
 * statement of the script as sent: after a denied text the driver face sends that text's statements
 * one by one, each answer read then.
 *
 * <p>A difference is a failure unless it is one the faces have by design (counted apart:
 * {@link #H2_FOLLOWS_NO_OTHER_CHANGE}, {@link #CALL_OF_DENIED_CREATE}), each recognised by its exact
 * shape. It found five faults of the JDBC face, each fixed with a test of its own: a transaction
 * end sent alone after SET SESSION AUTHORIZATION on a declared identity (DeclaredTextTransactionEndTest),
 * a CALL of an earlier text's procedure not judged on a declared identity
 * (DeclaredCallOfEarlierProcedureTest), a NullPointerException from {@code commit; rollback}
 * with grant changes pending (RollbackAfterCommitInOneTextTest), and, on a declared identity, an
 * ALTER PROCEDURE sent on its own not recorded and a procedure of an earlier text passed over as
 * judged already (DeclaredAlterOfEarlierProcedureTest; the second a fault of check's later scripts
 * too: ProceduresOfEarlierTextsTest).
 */
class ScriptFacesAgreeTest {
  private static final Path REGISTRY = Path.of("samples/registry.yaml");
  private static final long SEED = Long.getLong("iamguard.faces.seed", 2026120618L);
  private static final int SCRIPTS = Integer.getInteger("iamguard.faces.scripts", 160);

  static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";
  static final String CU = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  /** Key values of the generated CREDENTIALS: not secrets, but masked in every message all the same. */
  static final String KEY_ID = "AKIAFACESEXAMPLE0001";
  static final String KEY_SECRET = "facesExampleSecretValue0001";

  /** Every auth clause the generator writes: allowed, rewritten and denied ones for the sample users. */
  private static final String[] AUTHS = {
      "iam_role '" + CU + "'",
      "IAM_ROLE '" + CU + "'",
      "iam_role 'copy-unload'",
      "iam_role 'companyb'",
      "IAM_ROLE 'copy-unload'",
      "iam_role 'companyb'",
      "iam_role '" + CHAIN + "'",
      "iam_role default",
      "IAM_ROLE DEFAULT",
      "iam_role 'arn:aws:iam::210987654321:role/RoleB'",
      "iam_role 'arn:aws:iam::123456789012:role/RoleA'",
      "iam_role 'arn:aws:iam::123456789012:role/Nobody'",
      "iam_role 'no-such-alias'",
      "credentials 'aws_iam_role=" + CU + "'",
      "credentials 'aws_access_key_id=" + KEY_ID + ";aws_secret_access_key=" + KEY_SECRET + "'",
      "access_key_id '" + KEY_ID + "' secret_access_key '" + KEY_SECRET + "'",
  };
  static final String[] READS = {"s3://acmedata/redshift/in/", "s3://companyb/redshift/in/",
      "s3://acmedata/other/in/", "s3://companyb/other/in/", "s3://acmedata/redshift/unload/in/"};
  private static final String[] WRITES = {"s3://acmedata/redshift/unload/u_", "s3://companyb/redshift/out/u_",
      "s3://acmedata/redshift/w_", "s3://acmedata/exports/u_"};
  private static final String[] GRANTEES = {"user1", "user2", "user3", "\"user3\"", "USER2", "public", "group etl"};
  private static final String[] FORS = {"copy", "unload", "all", "external function", "create model", "COPY"};
  private static final String[] BEGINS = {"begin", "begin transaction", "start transaction", "BEGIN WORK"};
  private static final String[] COMMITS = {"commit", "end", "commit work", "END TRANSACTION"};
  private static final String[] ROLLBACKS = {"rollback", "abort", "rollback work"};

  @TempDir
  Path dir;


  /** One statement of a script, with what the generator knows of it. */
  record Step(String sql, String kind, boolean alone) {}

  /** A procedure's SET clause that sets who runs its body. */
  private static final String[] IDENTITY_CLAUSES = {"set role = r3", "SET \"ROLE\" TO 'r3'",
      "set session_authorization = user2", "set /* c */ session_authorization to user3"};
  /** A statement of a body that changes who runs what follows it, spelt as the server reads it. */
  private static final String[] IDENTITY_STATEMENTS = {"set /* c */ role r3;", "SET/**/ROLE r3;",
      "set -- c\n role r3;", "execute 'set ' || 'role r3';", "set local \"role\" = 'r3';"};

  /** One face's answer on one statement: ALLOW, REWRITE or DENY, and the text sent when rewritten. */
  record Answer(String verdict, String sql, List<String> rules) {
    boolean sameAs(Answer other) {
      return verdict.equals(other.verdict) && (!verdict.equals("REWRITE") || normal(sql).equals(normal(other.sql)));
    }
  }

  /** A statement the faces answer differently. */
  record Difference(int script, int statement, String kind, Answer check, Answer driver) {}

  @Test
  void checkAndTheDriverAnswerEachStatementAlike() throws Exception {
    prepareObjects();
    Random random = new Random(SEED);
    List<Difference> differences = new ArrayList<>();
    List<Difference> all = new ArrayList<>();
    Map<String, int[]> perKind = new TreeMap<>();
    int statements = 0;
    int[] verdicts = new int[3];
    StringBuilder report = new StringBuilder();
    for (int i = 0; i < SCRIPTS; i++) {
      String user = random.nextInt(4) == 0 ? "user2" : "user1";
      // memberships drawn from a stream of their own (the cuts into texts still shift with the steps they add)
      List<Step> steps = script(random, new Random(SEED * 7919 + i));
      List<Answer> checked = check(steps, user);
      List<List<Integer>> cuts = texts(steps, random);
      Map<String, String> knownOf = new java.util.HashMap<>();
      List<Answer> driven = drive(steps, cuts, user);
      assertThat(checked).as("script %d: check answers every statement", i).hasSameSizeAs(steps);
      for (int n = 0; n < steps.size(); n++) {
        Step step = steps.get(n);
        perKind.computeIfAbsent(step.kind(), k -> new int[4])[0]++;
        statements++;
        verdicts[switch (checked.get(n).verdict()) { case "ALLOW" -> 0; case "REWRITE" -> 1; default -> 2; }]++;
        if (!checked.get(n).sameAs(driven.get(n))) {
          Difference difference = new Difference(i, n + 1, step.kind(), checked.get(n), driven.get(n));
          all.add(difference);
          String known = known(steps, n, checked, driven, user);
          if (known == null && step.kind().equals("external table")) {
            // a table of a schema whose CREATE the faces answered apart for a known reason: that reason
            String schema = step.sql().replaceAll("(?is).*?\\btable\\b.*?(\\w+)\\.\\w+.*", "$1").toLowerCase(Locale.ROOT);
            known = knownOf.get(schema);
          }
          if (known != null && step.kind().equals("external schema")) {
            knownOf.put(step.sql().replaceAll("(?is).*?\\bschema\\b.*?\\b(s\\d+)\\b.*", "$1").toLowerCase(Locale.ROOT),
                known);
          }
          perKind.get(step.kind())[known == null ? 1 : known.equals(H2_FOLLOWS_NO_OTHER_CHANGE) ? 2
              : 3]++;
          if (known == null) {
            differences.add(difference);
          }
        }
      }
      int script = i;
      if (all.stream().anyMatch(d -> d.script() == script)) {
        report.append("script ").append(i).append(" (").append(user).append("), texts ").append(cuts).append(":\n")
            .append(mask(numbered(steps)));
        all.stream().filter(d -> d.script() == script).forEach(d -> report.append(String.format(Locale.ROOT,
            "  differs at %d (%s): check %s %s, driver %s %s%s%n", d.statement(), d.kind(), d.check().verdict(),
            d.check().rules(), d.driver().verdict(), d.driver().rules(), differences.contains(d) ? "  FINDING" : "")));
      }
    }
    Files.writeString(Path.of("target/faces-differences.txt"), report);
    System.out.printf("faces: %d scripts, %d statements (%d allowed, %d rewritten, %d denied by check), %d differ%n",
        SCRIPTS, statements, verdicts[0], verdicts[1], verdicts[2], differences.size());
    System.out.printf("  %-20s %10s %8s %9s %14s%n", "class", "statements", "findings", "h2-no-op", "denied-create");
    perKind.forEach((k, v) -> System.out.printf("  %-20s %10d %8d %9d %14d%n", k, v[0], v[1], v[2], v[3]));
    assertThat(verdicts[2]).as("denials drawn").isGreaterThan(statements / 20);
    assertThat(verdicts[1]).as("rewrites drawn").isGreaterThan(statements / 100);
    assertThat(differences).as("statements the faces answer differently").isEmpty();
  }


  /**
   * A change the guard cannot follow (SET or RESET ROLE, RESET ALL, set_config, CALL) sent in a text
   * of its own on H2 changes nothing there, and the driver keeps deciding for the declared user
   * (commit 170a56e: H2 has no statement but SET SESSION AUTHORIZATION that changes who runs the
   * connection, and Flyway sends CALL SCHEMA() with every migration); {@code check} cannot know the
   * target and denies every later auth-carrying statement (IDENTITY_CHANGED_IN_TEXT). Not in the
   * README: proposed in notes/readme-fyL.md.
   */
  private static final String H2_FOLLOWS_NO_OTHER_CHANGE = "h2-no-op";
  /**
   * {@code check} judges a CALL of a procedure the script creates by that body, also when it
   * denied the CREATE PROCEDURE (the stricter reading: the script as written); through the driver
   * the denied CREATE never ran, so the CALL runs nothing the guard knows. The same for a procedure
   * the called one's body calls, down the chain.
   */
  private static final String CALL_OF_DENIED_CREATE = "denied-create";


  /**
   * Whether either face denied the CREATE PROCEDURE (or CREATE OR REPLACE) of the procedure statement
   * {@code n} calls, or of one that procedure's body calls, down the chain.
   */
  private static boolean createDenied(List<Step> steps, int n, List<Answer> checked, List<Answer> driven) {
    java.util.regex.Matcher call = CALLED.matcher(steps.get(n).sql());
    return call.find() && createDenied(steps, n, call.group(1), checked, driven, new java.util.HashSet<>());
  }

  private static final Pattern CALLED = Pattern.compile("call (p\\d+)\\(\\)");

  private static boolean createDenied(List<Step> steps, int n, String name, List<Answer> checked, List<Answer> driven,
      java.util.Set<String> seen) {
    if (!seen.add(name)) {
      return false;
    }
    for (int at = n - 1; at >= 0; at--) {
      String sql = steps.get(at).sql();
      if (sql.startsWith("create procedure " + name + "()") || sql.startsWith("create or replace procedure " + name + "()")) {
        // denied by either face: through the driver a CREATE it denied never ran, so the CALL runs nothing it
        // knows (on the server it fails); check judges the CALL by the body as written
        if (checked.get(at).verdict().equals("DENY") || driven.get(at).verdict().equals("DENY")) {
          return true;
        }
        java.util.regex.Matcher calls = CALLED.matcher(sql.substring(sql.indexOf("$$")));
        while (calls.find()) {
          if (createDenied(steps, n, calls.group(1), checked, driven, seen)) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }

  /** Which deliberate difference explains the faces' answers on statement {@code n}; null: none does. */
  private String known(List<Step> steps, int n, List<Answer> checked, List<Answer> drivenAll, String user) {
    Answer check = checked.get(n);
    Answer driven = drivenAll.get(n);
    Step step = steps.get(n);
    boolean callRan = step.kind().equals("call") && check.verdict().equals("DENY") && driven.verdict().equals("ALLOW");
    if (callRan && createDenied(steps, n, checked, drivenAll)) {
      return CALL_OF_DENIED_CREATE;
    }
    if (callRan && !check.rules().contains("IDENTITY_CHANGED_IN_TEXT")) {
      return null;
    }
    if (check.rules().equals(List.of("IDENTITY_CHANGED_IN_TEXT"))) {
      // the script as H2 runs it: without the changes that change nothing there, this statement last
      List<Step> reduced = new ArrayList<>();
      for (int at = 0; at < n; at++) {
        if (!steps.get(at).kind().equals("unfollowed identity") && !steps.get(at).kind().equals("call")) {
          reduced.add(steps.get(at));
        }
      }
      if (reduced.size() < n) {
        reduced.add(step);
        List<Answer> answers = check(reduced, user);
        Answer last = answers.get(answers.size() - 1);
        // a CALL the H2 face lets run that check, without the no-op changes, denies for its body:
        // one of the two CALL classes above as well
        if (last.sameAs(driven) || callRan && last.verdict().equals("DENY")
            && !last.rules().contains("IDENTITY_CHANGED_IN_TEXT")) {
          return H2_FOLLOWS_NO_OTHER_CHANGE;
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- the script generator

  static List<Step> script(Random random) {
    return script(random, null);
  }

  /**
   * A script drawn from {@code random}, with a change of group memberships now and then drawn from
   * {@code members} (none when null): the sample registry grants the chain to group etl, which
   * etl_bot belongs to, and to user1.
   */
  static List<Step> script(Random random, Random members) {
    List<Step> steps = new ArrayList<>();
    int length = 5 + random.nextInt(26);
    boolean inTransaction = false;
    int procedures = 0;
    List<String> schemas = new ArrayList<>(List.of("spectrum"));
    for (int n = 0; n < length; n++) {
      if (members != null && members.nextInt(8) == 0) {
        if (members.nextInt(3) == 0) {
          steps.add(new Step("set session authorization etl_bot", "identity", false)); // in etl by the registry
        }
        String user = pickOf(members, new String[] {"user1", "user2", "etl_bot", "ETL_BOT", "\"ETL_BOT\""});
        // H2 runs none of them: alone, and taken as no-ops (REDSHIFT_ONLY)
        int form = members.nextInt(9);
        steps.add(new Step(switch (form) {
          case 0 -> "alter group etl drop user " + user;
          case 1 -> "alter group Etl add user " + user + ", user3";
          case 2 -> "create group etl2 with user " + user;
          case 3 -> "drop group etl";
          case 4 -> "revoke etl from " + user;
          case 5 -> "alter group etl rename to etl3";
          // users created, dropped or made superusers (user2 is trusted by the chain's first role)
          case 6 -> "create user user2 password 'Pw-1x'" + pickOf(members, new String[] {" in group etl",
              " in group \"ETL\"", " createuser", " in group etl2, etl connection limit 3", ""});
          case 7 -> "alter user " + pickOf(members, new String[] {"user2", "USER2", "\"User2\""}) + " createuser";
          default -> "drop user " + user;
        }, "membership", true));
        if (form >= 6 && members.nextBoolean()) {
          steps.add(new Step("set session authorization user2", "identity", false));
        }
        if (members.nextBoolean()) { // the chain is granted to user1 and group etl
          steps.add(new Step("copy t from 's3://companyb/redshift/in/' iam_role '" + CHAIN + "'", "copy", false));
        }
      }
      int pick = random.nextInt(100);
      if (pick < 16) {
        steps.add(step(random, "copy", "copy t from '" + pickOf(random, READS) + "' " + auth(random), false));
      } else if (pick < 24) {
        steps.add(step(random, "unload", "unload ('select x from t') to '" + pickOf(random, WRITES) + "' "
            + auth(random) + " allowoverwrite", false));
      } else if (pick < 28) {
        String name = "s" + n;
        steps.add(step(random, "external schema", "create external schema " + name + " from data catalog database '"
            + (random.nextInt(4) == 0 ? "otherdb" : "exampledb") + "' " + auth(random), false));
        schemas.add(name);
      } else if (pick < 31) {
        steps.add(step(random, "external function", "create external function f" + n
            + "(int) returns int volatile lambda '" + (random.nextInt(4) == 0 ? "otherFunction" : "exampleLambdaFunction")
            + "' " + auth(random), false));
      } else if (pick < 34 && !inTransaction) {
        // DDL of external tables: Redshift refuses it in a transaction block (both faces follow that)
        steps.add(step(random, "external table", "create external table " + pickOf(random, schemas.toArray(String[]::new))
            + ".e" + n + " (x int) stored as textfile location '" + pickOf(random, READS) + "'", false));
      } else if (pick < 36) {
        steps.add(step(random, "model", "create model m" + n + " from '" + pickOf(random, READS)
            + "model.tar.gz' function mf" + n + " (int) returns int " + auth(random), false));
      } else if (pick < 38) {
        steps.add(step(random, "library", "create library l" + n + " language plpythonu from '"
            + pickOf(random, READS) + "l.zip' " + auth(random), false));
      } else if (pick < 40 && !inTransaction) {
        // CREATE DATABASE runs outside a transaction block only
        steps.add(step(random, "database", "create database d" + n
            + " from arn 'arn:aws:glue:us-west-2:123456789012:catalog' " + auth(random), false));
      } else if (pick < 52) {
        String on = switch (random.nextInt(5)) {
          case 0, 1 -> "'" + CHAIN + "'";
          case 2, 3 -> "'" + CU + "'";
          default -> "all";
        };
        String grantee = pickOf(random, GRANTEES);
        boolean grant = random.nextInt(3) > 0;
        steps.add(step(random, "grant/revoke", (grant ? "grant" : "revoke") + " assumerole on " + on
            + (grant ? " to " : " from ") + grantee + " for " + pickOf(random, FORS), false));
      } else if (pick < 62) {
        String sql = switch (random.nextInt(6)) {
          case 0 -> "set session authorization user2";
          case 1 -> "set session authorization 'user3'";
          case 2 -> "SET SESSION AUTHORIZATION \"user1\"";
          case 3 -> "reset session authorization";
          case 4 -> "set session authorization default";
          default -> "set session authorization " + pickOf(random, new String[] {"user1", "user2", "user3", "etl_bot"});
        };
        steps.add(step(random, "identity", sql, false));
      } else if (pick < 65 && !inTransaction) {
        // changes the guard cannot follow; H2 refuses them, so alone and outside a transaction
        String sql = switch (random.nextInt(4)) {
          case 0 -> "set role etl";
          case 1 -> "reset role";
          case 2 -> "select set_config('session_authorization', 'user3', false)";
          default -> "reset all";
        };
        steps.add(new Step(sql, "unfollowed identity", true));
      } else if (pick < 80) {
        if (!inTransaction) {
          steps.add(step(random, "transaction", pickOf(random, BEGINS), false));
          inTransaction = true;
        } else if (random.nextBoolean()) {
          steps.add(step(random, "transaction", pickOf(random, COMMITS), false));
          inTransaction = false;
        } else {
          steps.add(step(random, "transaction", pickOf(random, ROLLBACKS), false));
          inTransaction = false;
        }
      } else if (pick < 88 && !inTransaction) {
        // H2 runs no PL/pgSQL: alone, outside a transaction
        // bodies mostly allowed for their creator, so that who CALLs them decides
        String body = switch (random.nextInt(procedures > 0 ? 5 : 4)) {
          case 0 -> "copy t from '" + pickOf(random, READS) + "' " + auth(random);
          case 1 -> "unload ('select 1') to '" + pickOf(random, WRITES) + "' " + auth(random);
          case 2 -> random.nextBoolean() ? "copy t from 's3://acmedata/redshift/in/' iam_role '" + CU + "'"
              : "copy t from 's3://companyb/redshift/in/' iam_role '" + CHAIN + "'";
          case 3 -> "insert into t values (1)";
          // what an earlier procedure runs, as who runs this one
          default -> random.nextBoolean() ? "call p" + random.nextInt(procedures) + "()"
              : "execute 'call p" + random.nextInt(procedures) + "()'";
        };
        String definer = random.nextInt(3) == 0 ? " security definer" : "";
        // who runs the body: set by the procedure's own SET clause, in its definition or by ALTER, or by its body
        int identity = random.nextInt(8);
        String clause = identity == 0 ? " " + pickOf(random, IDENTITY_CLAUSES) : "";
        String change = identity == 1 ? pickOf(random, IDENTITY_STATEMENTS) + " " : "";
        steps.add(new Step("create procedure p" + procedures + "() language plpgsql" + definer + clause
            + " as $$ begin " + change + body + "; end $$", "procedure", true));
        if (identity == 2) {
          steps.add(new Step("alter procedure p" + procedures + "() " + pickOf(random, IDENTITY_CLAUSES), "procedure",
              true));
        } else if (identity == 3 && procedures > 0) {
          // an earlier procedure changed: given to another user, made a definer or an invoker, or replaced
          String earlier = "p" + random.nextInt(procedures);
          steps.add(new Step(switch (random.nextInt(4)) {
            case 0 -> "alter procedure " + earlier + "() owner to " + pickOf(random, new String[] {"user1", "user3"});
            case 1 -> "ALTER ROUTINE " + earlier + " SECURITY DEFINER";
            case 2 -> "alter procedure " + earlier + "() security invoker";
            default -> "create or replace procedure " + earlier + "() language plpgsql as $$ begin " + body + "; end $$";
          }, "procedure", true));
        }
        procedures++;
      } else if (pick < 91 && !inTransaction && procedures > 0) {
        String call = "call p" + random.nextInt(procedures) + "()";
        // a DO block runs its calls as the caller too
        steps.add(new Step(random.nextInt(4) == 0 ? "do $$ begin " + call + "; end $$" : call, "call", true));
      } else {
        steps.add(step(random, "copy", "copy t from '" + pickOf(random, READS) + "' " + auth(random), false));
      }
    }
    if (inTransaction) {
      steps.add(step(random, "transaction", pickOf(random, COMMITS), false));
    }
    steps.add(step(random, "copy", "copy t from '" + pickOf(random, READS) + "' " + auth(random), false));
    return steps;
  }

  private static String auth(Random random) {
    return pickOf(random, AUTHS);
  }

  private static String pickOf(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** A statement written in odd spacing, comments and case now and then. */
  private static Step step(Random random, String kind, String sql, boolean alone) {
    return new Step(odd(random, sql), kind, alone);
  }

  /** Spaces outside literals and quoted names made into runs, line breaks and comments; words in upper case. */
  static String odd(Random random, String sql) {
    if (random.nextInt(3) == 0) {
      return sql;
    }
    boolean upper = random.nextInt(3) == 0;
    StringBuilder out = new StringBuilder(sql.length() + 16);
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote != 0) {
        out.append(c);
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        out.append(c);
      } else if (c == ' ') {
        out.append(switch (random.nextInt(10)) {
          case 0 -> "  ";
          case 1 -> "\n";
          case 2 -> "\t";
          case 3 -> " /* c; 'x' */ ";
          case 4 -> " -- c;\n";
          default -> " ";
        });
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
      }
    }
    return out.toString();
  }

  /** The steps joined into texts at random cuts; a step that must be alone is a text of its own. */
  private static List<List<Integer>> texts(List<Step> steps, Random random) {
    List<List<Integer>> texts = new ArrayList<>();
    List<Integer> text = new ArrayList<>();
    for (int n = 0; n < steps.size(); n++) {
      if (steps.get(n).alone()) {
        if (!text.isEmpty()) {
          texts.add(text);
          text = new ArrayList<>();
        }
        texts.add(List.of(n));
        continue;
      }
      text.add(n);
      if (random.nextInt(3) == 0) {
        texts.add(text);
        text = new ArrayList<>();
      }
    }
    if (!text.isEmpty()) {
      texts.add(text);
    }
    return texts;
  }

  // ---------------------------------------------------------------- the faces

  /** {@code check --format json} of the whole script, as a user would run it. */
  private List<Answer> check(List<Step> steps, String user) {
    String script = steps.stream().map(Step::sql).collect(Collectors.joining(";\n", "", ";\n"));
    CliRun run = CliRun.withStdin(script, "check", "--registry", REGISTRY.toString(), "--user", user,
        "--format", "json", "-");
    assertThat(run.code()).as(mask(run.err())).isIn(0, 1);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statements = (List<Map<String, Object>>) run.json().get("statements");
    List<Answer> answers = new ArrayList<>();
    for (Map<String, Object> statement : statements) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> findings = (List<Map<String, Object>>) statement.get("findings");
      answers.add(new Answer((String) statement.get("decision"), (String) statement.get("sql"),
          findings.stream().filter(f -> !"WARN".equals(f.get("severity"))).map(f -> String.valueOf(f.get("rule")))
              .distinct().toList()));
    }
    return answers;
  }

  /** The script sent through a guarded H2 connection in the given texts; each statement's answer. */
  private List<Answer> drive(List<Step> steps, List<List<Integer>> texts, String user) throws Exception {
    List<Answer> answers = new ArrayList<>(Collections.nCopies(steps.size(), new Answer("ALLOW", null, List.of())));
    List<AuditEvent> events = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID());
    DataSource guarded = GuardDataSource.builder(accepting(h2)).registry(REGISTRY).user(user)
        .localS3(dir.resolve("s3")).auditTo(events::add).unpooled().build();
    try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("create table t (x int)");
      for (List<Integer> text : texts) {
        if (!send(statement, steps, text, answers, events, sent) && text.size() > 1) {
          // nothing of a denied text was sent: its statements one by one, as check judges them
          for (int n : text) {
            send(statement, steps, List.of(n), answers, events, sent);
          }
        }
      }
    }
    return answers;
  }

  /**
   * H2 under the guard, taking the statements Redshift runs and H2 cannot (a PL/pgSQL procedure,
   * its CALL, SET and RESET ROLE, RESET ALL, set_config), each sent alone, as done: a refusal there
   * would be a failed statement to the driver, which then changes nothing, where on Redshift it runs.
   */
  static DataSource accepting(DataSource h2) {
    return proxy(DataSource.class, h2, (method, result) -> method.getName().equals("getConnection")
        ? proxy(Connection.class, result, (m, r) -> m.getName().equals("createStatement")
            ? acceptingStatement((Statement) r) : r)
        : result);
  }

  private static final Pattern REDSHIFT_ONLY = Pattern.compile(
      "(?is)\\s*(alter\\s+group|create\\s+group|drop\\s+group|create\\s+user|alter\\s+user|drop\\s+user|revoke\\s+etl\\s|create\\s+procedure|alter\\s+procedure|alter\\s+routine|create\\s+or\\s+replace\\s+procedure|do\\s|call\\s|set\\s+role|reset\\s+role|reset\\s+all|select\\s+set_config).*");

  private static Statement acceptingStatement(Statement h2) {
    return (Statement) Proxy.newProxyInstance(ScriptFacesAgreeTest.class.getClassLoader(), new Class<?>[] {Statement.class},
        (proxy, method, args) -> {
          if (args != null && args.length > 0 && args[0] instanceof String sql && method.getName().startsWith("execute")
              && REDSHIFT_ONLY.matcher(sql).matches()) {
            return method.getReturnType() == boolean.class ? false : method.getReturnType() == long.class ? (Object) 0L : 0;
          }
          return call(method, h2, args);
        });
  }

  private static <T> T proxy(Class<T> type, Object target, java.util.function.BiFunction<Method, Object, Object> after) {
    return type.cast(Proxy.newProxyInstance(ScriptFacesAgreeTest.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> after.apply(method, call(method, target, args))));
  }

  private static Object call(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Sends one text; false when the guard denied it. */
  private boolean send(Statement statement, List<Step> steps, List<Integer> text, List<Answer> answers,
      List<AuditEvent> events, List<String> sentSoFar) {
    String sql = text.stream().map(n -> steps.get(n).sql()).collect(Collectors.joining(";\n"));
    events.clear();
    sentSoFar.add(sql);
    boolean denied = false;
    try {
      statement.execute(sql);
    } catch (GuardDeniedException e) {
      denied = true;
    } catch (RuntimeException e) {
      throw new AssertionError("the driver threw " + e + " on the text " + mask(sql) + " after "
          + mask(String.valueOf(sentSoFar)), e);
    } catch (SQLException e) {
      // H2 refuses what it cannot run (PL/pgSQL, SET ROLE, set_config): the guard's answer stands
    }
    for (AuditEvent event : events) {
      int at = text.get(event.statement() - 1);
      answers.set(at, new Answer(event.decision(), event.sql(), event.rules()));
    }
    return !denied;
  }

  // ---------------------------------------------------------------- helpers

  private void prepareObjects() throws Exception {
    for (String read : READS) {
      Path object = dir.resolve("s3").resolve(read.substring("s3://".length())).resolve("part-0.txt");
      Files.createDirectories(object.getParent());
      Files.writeString(object, "1\n");
    }
  }

  private static String numbered(List<Step> steps) {
    StringBuilder out = new StringBuilder();
    for (int n = 0; n < steps.size(); n++) {
      out.append(String.format(Locale.ROOT, "  %2d %s%n", n + 1, steps.get(n).sql().replace("\n", "\\n")));
    }
    return out.toString();
  }

  private static String normal(String sql) {
    return sql == null ? "" : sql.replaceAll("\\s+", " ").trim();
  }

  private static String mask(String text) {
    return Objects.toString(text).replace(KEY_ID, "***").replace(KEY_SECRET, "***");
  }
}
