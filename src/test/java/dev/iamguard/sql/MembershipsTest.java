package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.MembershipChange.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The statements that change who belongs to a group or role, read as the server reads them: each
 * form of the Redshift grammar (ALTER GROUP, CREATE GROUP, DROP GROUP, GRANT ROLE, REVOKE ROLE, DROP
 * ROLE) and PostgreSQL's REVOKE of a role, written in every spelling a writer may choose (key words in
 * any case, names unquoted in any case, which the server folds, or quoted, which it keeps, comments and
 * line breaks between any two tokens); and the statements beside them that change no membership.
 */
class MembershipsTest {
  /** A name as written and as the server keeps it. */
  private record Name(String written, String kept) {}

  private static final List<Name> NAMES = List.of(new Name("etl", "etl"), new Name("ETL_Bot", "etl_bot"),
      new Name("\"ETL\"", "ETL"), new Name("\"a \"\"b\"\"\"", "a \"b\""), new Name("u$1", "u$1"));

  private static MembershipChange join(Kind kind, String name, Kind memberKind, String member) {
    return new MembershipChange(true, kind, name, memberKind, member);
  }

  private static MembershipChange leave(Kind kind, String name, Kind memberKind, String member) {
    return new MembershipChange(false, kind, name, memberKind, member);
  }

  private static List<MembershipChange> read(String sql) {
    SqlStatement statement = SqlScript.parse(sql).statements().get(0);
    return Memberships.of(statement);
  }

  /** {@code sql} with its key words in another case and a comment or line break after some tokens. */
  private static String respelled(String sql, Random random) {
    StringBuilder out = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < sql.length(); i++) {
      char ch = sql.charAt(i);
      quoted ^= ch == '"';
      if (ch == ' ' && !quoted) {
        out.append(switch (random.nextInt(4)) {
          case 0 -> " /* c; */ ";
          case 1 -> "\n  ";
          case 2 -> " -- note\n";
          default -> " ";
        });
      } else if (!quoted && Character.isUpperCase(ch) && random.nextBoolean()) {
        out.append(Character.toLowerCase(ch));
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  @Test
  void everyFormOfTheGrammarIsReadWithEveryNameSpelling() {
    Random random = new Random(20261207);
    int read = 0;
    for (Name group : NAMES) {
      for (Name user : NAMES) {
        for (Name other : NAMES) {
          String g = group.written();
          String u = user.written();
          String o = other.written();
          List<Object[]> cases = new ArrayList<>();
          cases.add(new Object[] {"ALTER GROUP " + g + " ADD USER " + u + ", " + o,
              List.of(join(Kind.GROUP, group.kept(), Kind.USER, user.kept()),
                  join(Kind.GROUP, group.kept(), Kind.USER, other.kept()))});
          cases.add(new Object[] {"ALTER GROUP " + g + " DROP USER " + u,
              List.of(leave(Kind.GROUP, group.kept(), Kind.USER, user.kept()))});
          cases.add(new Object[] {"ALTER GROUP " + g + " RENAME TO " + o,
              List.of(leave(Kind.GROUP, group.kept(), Kind.ANY, null))});
          cases.add(new Object[] {"CREATE GROUP " + g + " WITH USER " + u + ", " + o,
              List.of(join(Kind.GROUP, group.kept(), Kind.USER, user.kept()),
                  join(Kind.GROUP, group.kept(), Kind.USER, other.kept()))});
          cases.add(new Object[] {"CREATE GROUP " + g + " USER " + u,
              List.of(join(Kind.GROUP, group.kept(), Kind.USER, user.kept()))});
          cases.add(new Object[] {"CREATE GROUP " + g, List.of()});
          cases.add(new Object[] {"DROP GROUP " + g, List.of(leave(Kind.GROUP, group.kept(), Kind.ANY, null),
              leave(Kind.ROLE, group.kept(), Kind.ANY, null))});
          cases.add(new Object[] {"DROP ROLE IF EXISTS " + g + " FORCE", List.of(leave(Kind.GROUP, group.kept(), Kind.ANY, null),
              leave(Kind.ROLE, group.kept(), Kind.ANY, null))});
          cases.add(new Object[] {"ALTER ROLE " + g + " RENAME TO " + o, List.of(leave(Kind.ROLE, group.kept(), Kind.ANY, null))});
          cases.add(new Object[] {"GRANT ROLE " + g + " TO " + u + " WITH ADMIN OPTION, ROLE " + o,
              List.of(join(Kind.ROLE, group.kept(), Kind.USER, user.kept()),
                  join(Kind.ROLE, group.kept(), Kind.ROLE, other.kept()))});
          cases.add(new Object[] {"GRANT ROLE " + g + ", ROLE " + o + " TO " + u,
              List.of(join(Kind.ROLE, group.kept(), Kind.USER, user.kept()),
                  join(Kind.ROLE, other.kept(), Kind.USER, user.kept()))});
          cases.add(new Object[] {"REVOKE ROLE " + g + " FROM " + u + ", ROLE " + o,
              List.of(leave(Kind.ROLE, group.kept(), Kind.USER, user.kept()),
                  leave(Kind.ROLE, group.kept(), Kind.ROLE, other.kept()))});
          cases.add(new Object[] {"REVOKE ADMIN OPTION FOR ROLE " + g + " FROM " + u, List.of()});
          // PostgreSQL: a group is a role, and REVOKE g FROM u takes u out of it; not read by name, so every membership
          cases.add(new Object[] {"REVOKE " + g + " FROM " + u, List.of(MembershipChange.EVERY)});
          cases.add(new Object[] {"REVOKE " + g + ", " + o + " FROM " + u + " CASCADE", List.of(MembershipChange.EVERY)});
          // no membership changes
          cases.add(new Object[] {"REVOKE SELECT ON TABLE " + g + " FROM GROUP " + u, List.of()});
          cases.add(new Object[] {"REVOKE ALL ON SCHEMA " + g + " FROM " + u, List.of()});
          cases.add(new Object[] {"REVOKE GRANT OPTION FOR USAGE ON SCHEMA " + g + " FROM " + u, List.of()});
          cases.add(new Object[] {"REVOKE CREATE MODEL FROM " + u, List.of()});
          cases.add(new Object[] {"REVOKE EXPLAIN RLS FROM ROLE " + u, List.of()});
          cases.add(new Object[] {"GRANT SELECT ON " + g + " TO " + u, List.of()});
          cases.add(new Object[] {"GRANT " + g + " TO " + u, List.of()}); // PostgreSQL's: not read, so it adds nothing
          cases.add(new Object[] {"GRANT ROLES ON " + g + " TO " + u, List.of()});
          cases.add(new Object[] {"ALTER USER " + u + " CONNECTION LIMIT 5", List.of()});
          cases.add(new Object[] {"ALTER USER " + u + " NOCREATEUSER", List.of(leave(Kind.SUPERUSER, null, Kind.USER, user.kept()))});
          cases.add(new Object[] {"ALTER USER " + u + " WITH CREATEDB NOCREATEUSER CONNECTION LIMIT 2",
              List.of(leave(Kind.SUPERUSER, null, Kind.USER, user.kept()))});
          cases.add(new Object[] {"ALTER ROLE " + u + " NOSUPERUSER", List.of(leave(Kind.SUPERUSER, null, Kind.USER, user.kept()))});
          cases.add(new Object[] {"ALTER USER " + u + " PASSWORD 'nocreateuser'", List.of()});
          // the flag given, and groups joined by a new user: only when every option reads as one
          MembershipChange flag = join(Kind.SUPERUSER, null, Kind.USER, user.kept());
          cases.add(new Object[] {"ALTER USER " + u + " CREATEUSER", List.of(flag)});
          cases.add(new Object[] {"ALTER USER " + u + " WITH CREATEDB CREATEUSER CONNECTION LIMIT UNLIMITED", List.of(flag)});
          cases.add(new Object[] {"ALTER ROLE " + u + " WITH LOGIN SUPERUSER PASSWORD 'x' VALID UNTIL 'infinity'",
              List.of(flag)});
          cases.add(new Object[] {"ALTER USER " + u + " WITH RENAME TO createuser", List.of(leave(Kind.ANY, null, Kind.USER,
              user.kept()), leave(Kind.SUPERUSER, null, Kind.USER, user.kept()))});
          cases.add(new Object[] {"ALTER USER " + u + " SET search_path TO createuser", List.of()});
          cases.add(new Object[] {"ALTER USER " + u + " CREATEUSER RESET search_path", List.of()});
          cases.add(new Object[] {"ALTER USER " + u + " PASSWORD 'createuser'", List.of()});
          cases.add(new Object[] {"CREATE USER " + u + " WITH PASSWORD 'sha256|Pw1' IN GROUP " + g + ", " + o
              + " SYSLOG ACCESS RESTRICTED SESSION TIMEOUT 120", List.of(join(Kind.GROUP, group.kept(), Kind.USER,
                  user.kept()), join(Kind.GROUP, other.kept(), Kind.USER, user.kept()))});
          cases.add(new Object[] {"CREATE USER " + u + " PASSWORD DISABLE NOCREATEDB CREATEUSER EXTERNALID 'x1'",
              List.of(flag)});
          cases.add(new Object[] {"CREATE USER " + u + " PASSWORD 'in group " + g.replace("\"", "") + "'", List.of()});
          cases.add(new Object[] {"CREATE USER " + u + " PASSWORD 'p' IN ROLE " + g, List.of()});
          cases.add(new Object[] {"CREATE USER " + u + " IN GROUP " + g + " PASSWORD 'p'", List.of()}); // password first
          cases.add(new Object[] {"CREATE USER " + u + " WITH CREATEUSER", List.of()});
          cases.add(new Object[] {"CREATE USER " + u + " PASSWORD 'p' IN GROUP " + g + " ADMIN " + o, List.of()});
          // a user dropped holds nothing when created again under its name
          cases.add(new Object[] {"DROP USER IF EXISTS " + u + ", " + o, List.of(leave(Kind.ANY, null, Kind.USER, user.kept()),
              leave(Kind.SUPERUSER, null, Kind.USER, user.kept()), leave(Kind.ANY, null, Kind.USER, other.kept()),
              leave(Kind.SUPERUSER, null, Kind.USER, other.kept()))});
          cases.add(new Object[] {"CREATE ROLE " + g, List.of()});
          cases.add(new Object[] {"DROP TABLE " + g, List.of()});
          for (Object[] c : cases) {
            String sql = (String) c[0];
            for (String spelling : List.of(sql, sql.toLowerCase(Locale.ROOT).equals(sql) ? sql : respelled(sql, random))) {
              assertThat(read(spelling)).as(spelling).isEqualTo(c[1]);
              assertThat(Memberships.mayChange(SqlScript.parse(spelling).statements().get(0))).as(spelling)
                  .isEqualTo(!((List<?>) c[1]).isEmpty());
              read++;
            }
          }
        }
      }
    }
    assertThat(read).isEqualTo(NAMES.size() * NAMES.size() * NAMES.size() * 45 * 2);
  }

  @Test
  void theScanMarksEveryStatementThatMayChangeAMembershipOrAUser() {
    for (String sql : List.of("alter group g add user u", "ALTER GROUP g DROP USER u", "create group g with user u",
        "drop group g", "drop role r", "drop user u", "alter role r rename to s", "alter user u nocreateuser",
        "grant role r to u", "revoke role r from u", "revoke g from u", "revoke select on t from u", "grant g to u",
        "grant select on t to u", "create user u password disable", "create user u password 'p' in group g",
        "/* first */ Revoke role r from u")) {
      assertThat(SessionEffects.has(SqlScript.scan("select 1; " + sql + "; select 2"), SessionEffects.MEMBERSHIP))
          .as(sql).isTrue();
    }
    for (String sql : List.of("grant assumerole on default to u for copy", "create role r",
        "create usergroup u", "create table user_groups (u int)", "alter table t add column c int", "drop table t", "select 'revoke role r from u'",
        "-- revoke role r from u\nselect 1", "revoke assumerole on default from u for copy")) {
      assertThat(SessionEffects.has(SqlScript.scan(sql), SessionEffects.MEMBERSHIP)).as(sql).isFalse();
    }
  }

  @Test
  void theFirstStatementThatMayChangeOneIsNumbered() {
    assertThat(SqlScript.parse("select 1; revoke select on t from u; alter group g drop user u").firstMembershipChange())
        .as("a table's privileges are no membership").isEqualTo(3);
    assertThat(SqlScript.parse("select 1; alter user u nocreateuser; revoke g from u").firstMembershipChange())
        .as("a user's superuser flag says whether it holds ASSUMEROLE").isEqualTo(2);
    assertThat(SqlScript.parse("select 1; grant select on t to u; revoke create model from u;"
        + " alter user u connection limit 2; drop user u").firstMembershipChange()).isEqualTo(5);
    assertThat(SqlScript.parse("select 1; grant select on t to u; revoke create model from u;"
        + " alter user u connection limit 2").firstMembershipChange()).isZero();
    assertThat(SqlScript.parse("alter group g add user a; alter group g drop user b; drop group h")
        .firstMembershipChange(change -> !change.added())).as("the first that one asks for").isEqualTo(2);
  }
}
