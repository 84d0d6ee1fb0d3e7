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
}
