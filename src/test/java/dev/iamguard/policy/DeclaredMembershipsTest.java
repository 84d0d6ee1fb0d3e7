package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A declared identity (check, the driver on H2) follows the memberships its script changes: a user
 * holds the ASSUMEROLE grants of its groups and Redshift roles, so {@code ALTER GROUP etl DROP USER
 * user2} and then user2's COPY with a role granted only to group etl fails on the server, and the
 * guard allowed it (its groups came from the registry alone). Every form that takes the membership
 * away, in every spelling of the names, denies the COPY after it; every form beside it that does not
 * (another user, another group, a table's privileges, ADMIN OPTION) keeps it allowed; a membership a
 * text adds is held; a rollback the guard can place takes a change back, and one it cannot place is
 * read strictly (a joining taken back, a leaving kept). A server that reports the identity is asked
 * again instead: an auth statement after a change in the same text is denied.
 */
class DeclaredMembershipsTest {
  static final String COPY = "copy t from 's3://data/in/x' iam_role '" + LOADER + "'";
  /** LOADER granted to group etl and role reader only; user2 in etl, user1 holds reader through loader_role. */
  static final Registry REGISTRY = Fixture.registry("grants:\n"
      + "  - on: [" + LOADER + "]\n    to: [\"group:etl\", \"role:reader\"]\n    for: [COPY]\n"
      + "users:\n  user2: {groups: [etl]}\n  user1: {roles: [loader_role]}\n"
      + "db_roles:\n  loader_role: {roles: [reader]}\n");
  /** The same grants, with no memberships declared. */
  static final Registry NO_MEMBERS = Fixture.registry("grants:\n"
      + "  - on: [" + LOADER + "]\n    to: [\"group:etl\", \"role:reader\"]\n    for: [COPY]\n"
      + "db_roles:\n  loader_role: {roles: [reader]}\n");

  private static final List<String> ETL = List.of("etl", "ETL", "\"etl\"", "\"ETL\"", "Etl");
  private static final List<String> USER2 = List.of("user2", "USER2", "\"user2\"", "\"User2\"");
  private static final List<String> SPACES = List.of(" ", "\n", " /* ; */ ", " -- x;\n");

  /** The rules the COPY after {@code script} breaks, as check reads a script: from a commit point, as psql runs it. */
  private static List<RuleId> copyAfter(Registry registry, String user, String script) {
    Session session = new Session(user, List.of(), List.of(), null);
    return copyAfter(registry, session.withGrants(session.grants().commit()), script);
  }

  private static List<RuleId> copyAfter(Registry registry, Session session, String script) {
    return rules(new Guard(registry).inspect(script + ";\n" + COPY, session));
  }

  /** {@code sql} with its blanks replaced by the {@code n}-th of {@link #SPACES} onwards. */
  private static String spaced(String sql, int n) {
    StringBuilder out = new StringBuilder();
    int k = n;
    for (String part : sql.split(" ", -1)) {
      if (out.length() > 0) {
        out.append(SPACES.get(k++ % SPACES.size()));
      }
      out.append(part);
    }
    return out.toString();
  }

  /** How a finding names a change of grants or memberships (not of the identity) before the statement. */
  private static final String GRANTS_CHANGED = "changes the ASSUMEROLE grants, the group and role memberships or the superuser flag";

  @Test
  void everyFormThatTakesTheGroupAwayDeniesTheCopyAfterIt() {
    assertThat(copyAfter(REGISTRY, "user2", "select 1")).as("held through etl").isEmpty();
    List<String> forms = new ArrayList<>();
    for (String g : ETL) {
      for (String u : USER2) {
        forms.add("alter group " + g + " drop user " + u);
        forms.add("ALTER GROUP " + g + " DROP USER user1, " + u + ", user3");
        forms.add("revoke " + g + " from " + u);
      }
      forms.add("drop group " + g);
      forms.add("drop group if exists other, " + g);
      forms.add("drop role " + g);
      forms.add("alter group " + g + " rename to etl2");
    }
    int n = 0;
    for (String form : forms) {
      String script = spaced(form, n++);
      assertThat(copyAfter(REGISTRY, "user2", script)).as(script).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(copyAfter(REGISTRY, "user2", "begin; " + script + "; commit")).as(script)
          .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(copyAfter(REGISTRY, "user2", script + "; rollback")).as("a rollback not placed keeps it: " + script)
          .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(copyAfter(REGISTRY, "user2", "begin; " + script + "; rollback")).as("taken back: " + script).isEmpty();
    }
    assertThat(n).isEqualTo(ETL.size() * (USER2.size() * 3 + 4));
  }

  @Test
  void theFormsBesideThemKeepIt() {
    for (String form : List.of("alter group etl drop user user1", "alter group other drop user user2",
        "alter group etl add user user3", "revoke select on table etl from user2", "revoke all on schema etl from group etl",
        "revoke create model from user2", "revoke admin option for role reader from user2", "drop user user3",
        "drop table etl", "create group etl2 with user user2", "grant select on t to group etl",
        "alter user user2 connection limit 3", "revoke role reader from user1")) {
      assertThat(copyAfter(REGISTRY, "user2", spaced(form, form.length()))).as(form).isEmpty();
    }
  }

  @Test
  void aMembershipTheTextAddsIsHeld() {
    assertThat(copyAfter(NO_MEMBERS, "user2", "select 1")).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    for (String form : List.of("alter group etl add user user2", "ALTER GROUP \"etl\" ADD USER user1, USER2",
        "create group etl with user user2", "create group etl user user3, user2", "grant role reader to user2",
        "grant role loader_role to user2 with admin option", "grant role other, role reader to user2")) {
      assertThat(copyAfter(NO_MEMBERS, "user2", form)).as(form).isEmpty();
      assertThat(copyAfter(NO_MEMBERS, "user2", "begin; " + form + "; commit")).as(form).isEmpty();
      assertThat(copyAfter(NO_MEMBERS, "user2", "begin; " + form + "; rollback")).as("taken back: " + form)
          .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(copyAfter(NO_MEMBERS, "user2", form + "; rollback")).as("a rollback not placed takes it back: " + form)
          .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(copyAfter(NO_MEMBERS, "user2", form + "; " + form.replaceAll("(?i)add user", "drop user")
          .replace("grant role", "revoke role").replace(" to ", " from ").replace("with admin option", "")
          .replace("create group etl with user", "alter group etl drop user")
          .replace("create group etl user", "alter group etl drop user")))
          .as("joined, then left: " + form).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    }
    for (String form : List.of("alter group etl add user \"USER2\"", "alter group etl add user user3",
        "grant role reader to role loader_role", "grant role reader to user3", "grant etl to user2")) {
      assertThat(copyAfter(NO_MEMBERS, "user2", form)).as("not user2's, or not read: " + form)
          .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    }
  }

  @Test
  void everyFormThatTakesTheRoleAwayDeniesTheCopyAfterIt() {
    assertThat(copyAfter(REGISTRY, "user1", "select 1")).as("reader held through loader_role").isEmpty();
    for (String form : List.of("revoke role loader_role from user1", "REVOKE ROLE \"loader_role\" FROM \"USER1\"",
        "revoke role reader from role loader_role", "revoke role other, role Loader_Role from user3, user1",
        "drop role reader", "drop role loader_role force", "alter role loader_role rename to l2",
        "revoke loader_role from user1", "drop group loader_role")) {
      assertThat(copyAfter(REGISTRY, "user1", spaced(form, 1))).as(form).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(copyAfter(REGISTRY, "user1", "begin; " + form + "; rollback")).as("taken back: " + form).isEmpty();
    }
  }

  @Test
  void whereNoCommitPointIsKnownARollbackKeepsTheLeavingAndTakesBackTheJoining() {
    Session unplaced = new Session("user2", List.of(), List.of(), null); // a connection's own transaction may be open
    assertThat(copyAfter(REGISTRY, unplaced, "begin; alter group etl drop user user2; rollback"))
        .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    assertThat(copyAfter(NO_MEMBERS, unplaced, "begin; alter group etl add user user2; commit")).isEmpty();
    assertThat(copyAfter(NO_MEMBERS, unplaced, "begin; alter group etl add user user2; rollback"))
        .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    assertThat(copyAfter(NO_MEMBERS, unplaced, "begin; alter group etl add user user2; savepoint s; "
        + "alter group etl drop user user2; rollback to savepoint s")).as("a rollback to a savepoint keeps a leaving too")
        .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
  }

  @Test
  void aSuperuserWhoseFlagATextTakesNeedsTheGrant() {
    Registry registry = Fixture.registry("grants:\n  - on: [" + LOADER + "]\n    to: [user1]\n    for: [COPY]\n"
        + "users:\n  user2: {superuser: true}\n");
    assertThat(copyAfter(registry, "user2", "select 1")).as("a superuser holds ASSUMEROLE").isEmpty();
    for (String form : List.of("alter user user2 nocreateuser", "ALTER USER \"USER2\" WITH NOCREATEUSER",
        "alter role user2 nosuperuser", "alter user user2 createdb nocreateuser connection limit 3")) {
      assertThat(copyAfter(registry, "user2", form)).as(form).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    }
    for (String form : List.of("alter user user3 nocreateuser", "alter user user2 connection limit 3",
        "alter user user2 createuser", "alter user user2 password 'nocreateuser'")) {
      assertThat(copyAfter(registry, "user2", form)).as(form).isEmpty();
    }
  }

  @Test
  void aUserTheTextCreatesInAGroupOrGivesTheFlagHoldsItsGrants() {
    // user2, whom Loader trusts, created by the text (NO_MEMBERS declares none of its memberships)
    assertThat(copyAfter(NO_MEMBERS, "user1", "set session authorization user2")).as("user2: no membership declared")
        .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    for (String form : List.of("create user user2 password disable in group etl",
        "CREATE USER User2 WITH PASSWORD 'sha256|Pw1' IN GROUP analysts, \"etl\" CONNECTION LIMIT 3",
        "create user user2 password 'md5abc' createuser", "alter user user2 createuser",
        "ALTER USER \"user2\" WITH CREATEDB CREATEUSER SESSION TIMEOUT 60", "alter role user2 superuser")) {
      String as = form + "; set session authorization user2";
      assertThat(copyAfter(NO_MEMBERS, "user1", spaced(as, 2))).as(form).isEmpty();
      assertThat(copyAfter(NO_MEMBERS, "user1", "begin; " + form + "; commit; set session authorization user2"))
          .as(form).isEmpty();
      assertThat(copyAfter(NO_MEMBERS, "user1", "begin; " + form + "; rollback; set session authorization user2"))
          .as("taken back: " + form).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    }
    for (String form : List.of("create user user2 password disable in group \"ETL\"",
        "create user user2 in group etl password disable", "create user user2 with createuser",
        "create user user2 password disable in group etl admin user1", "create user user2 password disable in role etl",
        "create user user2 password 'in group etl'", "create user \"USER2\" password disable in group etl",
        "create user user2 password disable createuser nocreateuser", "alter user \"User2\" createuser",
        "alter user user2 set search_path to createuser",
        "alter user user2 createuser reset search_path", "alter user user2 createuser; alter user USER2 nocreateuser")) {
      assertThat(copyAfter(NO_MEMBERS, "user1", form + "; set session authorization user2"))
          .as("not user2's, or not read: " + form).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
    }
  }

  @Test
  void aUserDroppedAndCreatedAgainHoldsNothingOfTheOldOnes() {
    Registry superuser = Fixture.registry("grants:\n  - on: [" + LOADER + "]\n    to: [user1]\n    for: [COPY]\n"
        + "users:\n  user2: {superuser: true}\n");
    for (Registry registry : List.of(REGISTRY, superuser)) {
      assertThat(copyAfter(registry, "user1", "set session authorization user2")).as("user2: etl or a superuser").isEmpty();
      for (String drop : List.of("drop user user2", "DROP USER IF EXISTS u3, \"User2\"", "drop user USER2")) {
        String script = drop + "; create user user2 password 'Pw-1x'; set session authorization user2";
        assertThat(copyAfter(registry, "user1", spaced(script, 3))).as(script)
            .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
        assertThat(copyAfter(registry, "user1", "begin; " + drop + "; rollback; set session authorization user2"))
            .as("taken back: " + drop).isEmpty();
      }
      assertThat(copyAfter(registry, "user1", "drop user user3; set session authorization user2")).isEmpty();
      assertThat(copyAfter(registry, "user1", "alter user user2 rename to u9; alter user u8 rename to user2;"
          + " set session authorization user2")).as("another user under the name").containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(copyAfter(registry, "user1", "alter user user3 rename to u9; set session authorization user2")).isEmpty();
    }
    assertThat(copyAfter(REGISTRY, "user1", "drop user user2; create user user2 password 'Pw-1x' in group etl;"
        + " set session authorization user2")).as("created in etl again").isEmpty();
  }

  @Test
  void aDefinerBodyRunsWithItsOwnersMemberships() {
    String procedure = "create procedure p() security definer as $$ begin " + COPY + "; end $$ language plpgsql";
    Session user1 = new Session("user1", List.of(), List.of(), null);
    Guard guard = new Guard(REGISTRY);
    assertThat(rules(guard.inspect(procedure + ";\nalter procedure p() owner to user2;\ncall p()", user1))).isEmpty();
    assertThat(rules(guard.inspect(procedure + ";\nalter procedure p() owner to user2;\n"
        + "alter group etl drop user user2;\ncall p()", user1))).as("its owner left etl")
        .containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
  }

  @Test
  void aReportedIdentityIsAskedAgainAfterAChangeInTheSameText() {
    Session reported = Session.of(null, null).reported("user2", List.of("etl"), List.of(), false);
    Guard guard = new Guard(REGISTRY);
    assertThat(rules(guard.inspect(COPY, reported))).isEmpty();
    for (String form : List.of("alter group etl drop user user2", "alter group etl add user USER2", "drop role r",
        "revoke g from u", "alter user user2 nocreateuser", "grant role r to user2", "alter group etl rename to e2",
        "revoke role r from role loader", "create group g2 with user user3, \"User2\"", "drop user if exists u3, User2")) {
      Decision decision = guard.inspect("select 1;\n" + form + ";\n" + COPY, reported);
      assertThat(rules(decision)).as(form).containsExactly(RuleId.IDENTITY_CHANGED_IN_TEXT);
      assertThat(decision.findings().get(0).message()).as(form)
          .contains("statement 2 of the same execution " + GRANTS_CHANGED).doesNotContain("SET SESSION AUTHORIZATION");
      assertThat(rules(guard.inspect(COPY + ";\n" + form, reported))).as("after it: " + form).isEmpty();
    }
    // the first change names the finding: an identity change says so, and one after a change of memberships
    Decision identityFirst = guard.inspect("set session authorization user1;\nalter group etl drop user user2;\n" + COPY,
        reported);
    assertThat(identityFirst.findings().get(0).message()).contains("statement 1 of the same execution may change the"
        + " session identity (SET SESSION AUTHORIZATION").doesNotContain(GRANTS_CHANGED);
    Decision membershipFirst = guard.inspect("alter group etl drop user user2;\nset session authorization user1;\n" + COPY,
        reported);
    assertThat(membershipFirst.findings().get(0).message()).contains("statement 1 of the same execution " + GRANTS_CHANGED);
    for (String form : List.of("revoke select on t from user2", "grant select on t to group etl", "drop user u3",
        "alter group etl add user user3", "create group analysts with user a1, a2", "alter user user3 nocreateuser",
        "grant role r to user3", "alter user user2 connection limit 3")) {
      assertThat(rules(guard.inspect(form + ";\n" + COPY, reported))).as("none of user2's: " + form).isEmpty();
    }
  }
}
