package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AssumeRoleGrant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GRANT and REVOKE ASSUMEROLE statements become registry grant entries, and a rollback undoes the
 * later grants but (when the guard must stay strict) keeps the later revokes.
 */
class GrantChangesTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::210987654321:role/RoleB";

  private static GrantChanges.Change change(boolean grant, String role, String grantee) {
    return GrantChanges.of(grant, new AssumeRoleGrant(List.of(role), false, false, List.of(user(grantee)), List.of("COPY")))
        .orElseThrow();
  }

  private static AssumeRoleGrant.Grantee user(String name) {
    return new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.USER, name);
  }

  @Test
  void aStatementBecomesAGrantEntry() {
    GrantChanges.Change change = GrantChanges.of(true, new AssumeRoleGrant(List.of(A + "," + B), false, false,
        List.of(user("user1"),
        new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.GROUP, "etl"),
        new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.ROLE, "loader"), AssumeRoleGrant.Grantee.EVERYONE), List.of("copy", "create  model", "DROP"))).orElseThrow();
    assertThat(change.grant()).isTrue();
    GrantConfig what = change.what();
    assertThat(what.scope()).isEqualTo(GrantConfig.Scope.CHAINS);
    assertThat(what.chains()).containsExactly(List.of(RoleArn.of(A), RoleArn.of(B)));
    assertThat(what.grantees()).containsExactly(
        new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.USER, "user1"),
        new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.GROUP, "etl"),
        new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.ROLE, "loader"),
        new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.PUBLIC, "PUBLIC"));
    assertThat(what.commands()).containsExactlyInAnyOrder(GrantConfig.Command.COPY, GrantConfig.Command.CREATE_MODEL);
  }

  @Test
  void defaultAndAllNeedNoRoles() {
    assertThat(GrantChanges.of(false, new AssumeRoleGrant(List.of(), true, false, List.of(user("u")), List.of("UNLOAD")))
        .orElseThrow().what().scope()).isEqualTo(GrantConfig.Scope.DEFAULT);
    assertThat(GrantChanges.of(false, new AssumeRoleGrant(List.of(), false, true, List.of(user("u")), List.of("ALL")))
        .orElseThrow().what().scope()).isEqualTo(GrantConfig.Scope.ALL);
  }

  @Test
  void aStatementThatGrantsNothingCheckableIsNoChange() {
    // a chain element that is no role ARN (a comma may be part of a role name: only ",arn:" splits), no grantee,
    // no known command, no role at all
    assertThat(GrantChanges.of(true, new AssumeRoleGrant(List.of(A, "loader"), false, false, List.of(user("u")),
        List.of("COPY")))).isEmpty();
    assertThat(GrantChanges.of(true, new AssumeRoleGrant(List.of(A + ",arn:aws:iam::1:role/B"), false, false, List.of(user("u")),
        List.of("COPY")))).isEmpty();
    assertThat(GrantChanges.of(true, new AssumeRoleGrant(List.of(A), false, false, List.of(), List.of("COPY")))).isEmpty();
    assertThat(GrantChanges.of(true, new AssumeRoleGrant(List.of(A), false, false, List.of(user("u")), List.of("DROP")))).isEmpty();
    assertThat(GrantChanges.of(true, new AssumeRoleGrant(List.of(), false, false, List.of(user("u")), List.of("COPY")))).isEmpty();
  }

  @Test
  void changesAccumulateInOrder() {
    assertThat(GrantChanges.NONE.isEmpty()).isTrue();
    GrantChanges one = GrantChanges.NONE.plus(change(true, A, "u1"));
    assertThat(one.isEmpty()).isFalse();
    GrantChanges two = one.plus(change(false, B, "u2"));
    assertThat(two.changes()).containsExactly(change(true, A, "u1"), change(false, B, "u2"));
    assertThat(one.changes()).containsExactly(change(true, A, "u1"));
    assertThat(two).hasToString("2 grant changes");
    assertThat(GrantChanges.NONE).hasToString("0 grant changes");
  }

  @Test
  void aRollbackUndoesLaterGrantsAndKeepsLaterRevokesWhenAsked() {
    GrantChanges committed = GrantChanges.NONE.plus(change(true, A, "u1")).plus(change(false, A, "u0"));
    GrantChanges later = committed.plus(change(false, B, "u2")).plus(change(true, B, "u3")).plus(change(false, A, "u4"));
    assertThat(later.rolledBackTo(committed, true).changes()).containsExactly(change(true, A, "u1"),
        change(false, A, "u0"), change(false, B, "u2"), change(false, A, "u4"));
    assertThat(later.rolledBackTo(committed, false).changes()).containsExactlyElementsOf(committed.changes());
    // nothing later: the committed state
    assertThat(committed.rolledBackTo(committed, true).changes()).containsExactlyElementsOf(committed.changes());
    // only later grants: all undone
    GrantChanges grantsOnly = committed.plus(change(true, B, "u5"));
    assertThat(grantsOnly.rolledBackTo(committed, true).changes()).containsExactlyElementsOf(committed.changes());
    assertThat(later.rolledBackTo(GrantChanges.NONE, true).changes()).containsExactly(change(false, A, "u0"),
        change(false, B, "u2"), change(false, A, "u4"));
  }

  /**
   * Savepoints set where the guard does not see them (a connection's own transaction, with
   * setSavepoint; a SAVEPOINT whose statement is not at hand) may hold any name: a RELEASE or
   * ROLLBACK TO of a name not seen set is read as before (the RELEASE keeps the transaction, the
   * ROLLBACK TO takes back the grants and keeps the revokes), not as refused; a name the guard saw
   * set in the transaction it began is refused when not set. The isolation level such a transaction
   * runs at is not known either: any level set in it is read as refused (the strict reading).
   */
  @Test
  void savepointsAndLevelsNotSeenAreNotReadAsMissing() {
    GrantChanges committed = GrantChanges.NONE.plus(change(false, A, "user1")).commit();
    List<GrantChanges> unseen = List.of(committed.plus(change(true, A, "user1")).inTransactionSince(committed),
        committed.begin().plus(change(true, A, "user1")).after(dev.iamguard.sql.TransactionControl.SAVEPOINT));
    for (String name : List.of("a", "A", "nosuch", "jdbc_savepoint_1", "")) {
      for (GrantChanges open : unseen) {
        assertThat(open.release(name).aborted()).as(name).isFalse();
        assertThat(open.release(name).sameChanges(open)).as(name).isTrue();
        GrantChanges back = open.rollbackToSavepoint(name);
        assertThat(back.aborted()).as(name).isFalse();
        assertThat(back.sameChanges(open.rollbackToSavepoint())).as(name).isTrue();
      }
      GrantChanges seen = committed.begin().savepoint("b").plus(change(true, A, "user1"));
      assertThat(seen.release(name).aborted()).as(name).isTrue();
      assertThat(seen.rollbackToSavepoint(name).aborted()).as(name).isTrue();
      assertThat(seen.release("b").aborted()).isFalse();
      assertThat(seen.rollbackToSavepoint("b").sameChanges(committed)).isTrue();
    }
    for (int level = dev.iamguard.sql.TransactionControl.READ_UNCOMMITTED;
        level <= dev.iamguard.sql.TransactionControl.SNAPSHOT; level++) {
      assertThat(unseen.get(0).transactionModes(level).aborted()).as("level %s", level).isTrue();
    }
  }
}
