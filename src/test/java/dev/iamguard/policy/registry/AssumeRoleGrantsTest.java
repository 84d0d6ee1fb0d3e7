package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AssumeRoleGrant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Without a grants section PUBLIC holds ASSUMEROLE on everything; a session's GRANT and REVOKE
 * statements change that as Redshift does: a revoke takes only what the same grantee (names ignoring
 * case) holds for the same commands, and a revoke of one chain or of DEFAULT from an ALL privilege
 * excludes just that.
 */
class AssumeRoleGrantsTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::123456789012:role/RoleB";
  private static final List<RoleArn> CHAIN_A = List.of(RoleArn.of(A));
  private static final List<RoleArn> CHAIN_B = List.of(RoleArn.of(B));
  private static final Predicate<AssumeRoleGrant.Grantee> ANYONE = g -> g.kind() == AssumeRoleGrant.Grantee.Kind.PUBLIC;

  private static Registry registry() throws RegistryException {
    return RegistryLoader.parse("""
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%s, %s]
        """.formatted(A, B), "r.yaml", null);
  }

  private static GrantChanges.Change change(boolean grant, List<String> roles, boolean onDefault, String grantee,
      String command) {
    return GrantChanges.of(grant, new AssumeRoleGrant(roles, onDefault, false, List.of(ShorthandGrantees.of(grantee)), List.of(command)))
        .orElseThrow();
  }

  private static Predicate<AssumeRoleGrant.Grantee> user(String name) {
    return g -> g.kind() == AssumeRoleGrant.Grantee.Kind.PUBLIC
        || g.kind() == AssumeRoleGrant.Grantee.Kind.USER && g.name().equalsIgnoreCase(name);
  }

  @Test
  void withoutAGrantsSectionPublicHoldsEverything() throws Exception {
    AssumeRoleGrants grants = AssumeRoleGrants.of(registry(), GrantChanges.NONE);
    assertThat(grants.enforced()).isFalse();
    for (GrantConfig.Command command : List.of(GrantConfig.Command.COPY, GrantConfig.Command.UNLOAD,
        GrantConfig.Command.EXTERNAL_FUNCTION, GrantConfig.Command.CREATE_MODEL)) {
      assertThat(grants.covers(CHAIN_A, false, command, ANYONE)).isTrue();
      assertThat(grants.covers(List.of(), true, command, ANYONE)).isTrue();
    }
  }

  @Test
  void revokingDefaultFromPublicExcludesOnlyDefaultForThatCommand() throws Exception {
    AssumeRoleGrants grants = AssumeRoleGrants.of(registry(),
        GrantChanges.NONE.plus(change(false, List.of(), true, "PUBLIC", "COPY")));
    assertThat(grants.enforced()).isTrue();
    assertThat(grants.covers(List.of(), true, GrantConfig.Command.COPY, ANYONE)).isFalse();
    assertThat(grants.covers(CHAIN_A, false, GrantConfig.Command.COPY, ANYONE)).isTrue();
    assertThat(grants.covers(List.of(), true, GrantConfig.Command.UNLOAD, ANYONE)).isTrue();
  }

  @Test
  void revokingAChainFromPublicExcludesThatChain() throws Exception {
    AssumeRoleGrants grants = AssumeRoleGrants.of(registry(),
        GrantChanges.NONE.plus(change(false, List.of(A), false, "public", "ALL")));
    assertThat(grants.enforced()).isTrue();
    for (GrantConfig.Command command : List.of(GrantConfig.Command.COPY, GrantConfig.Command.UNLOAD)) {
      assertThat(grants.covers(CHAIN_A, false, command, ANYONE)).isFalse();
      assertThat(grants.covers(CHAIN_B, false, command, ANYONE)).isTrue();
      assertThat(grants.covers(List.of(), true, command, ANYONE)).isTrue();
    }
  }

  @Test
  void aRevokeFromAnotherGranteeOrCommandTakesNothing() throws Exception {
    AssumeRoleGrants fromGroup = AssumeRoleGrants.of(registry(),
        GrantChanges.NONE.plus(change(false, List.of(A), false, "group:public", "COPY")));
    assertThat(fromGroup.enforced()).isFalse();
    assertThat(fromGroup.covers(CHAIN_A, false, GrantConfig.Command.COPY, ANYONE)).isTrue();
  }

  @Test
  void aUsersGrantIsRevokedByNameIgnoringCaseAndOnlyForItsCommand() throws Exception {
    // REVOKE ... ON ALL FROM PUBLIC FOR ALL; u1 gets COPY and UNLOAD on it, then loses COPY (named U1)
    GrantChanges changes = GrantChanges.NONE
        .plus(GrantChanges.of(false, new AssumeRoleGrant(List.of(), false, true, List.of(AssumeRoleGrant.Grantee.EVERYONE), List.of("ALL")))
            .orElseThrow())
        .plus(change(true, List.of(A), false, "u1", "COPY"))
        .plus(change(true, List.of(A), false, "u1", "UNLOAD"))
        .plus(change(true, List.of(A), false, "u2", "COPY"))
        .plus(change(false, List.of(A), false, "U1", "COPY"));
    AssumeRoleGrants grants = AssumeRoleGrants.of(registry(), changes);
    assertThat(grants.enforced()).isTrue();
    assertThat(grants.covers(CHAIN_A, false, GrantConfig.Command.COPY, user("u1"))).isFalse();
    assertThat(grants.covers(CHAIN_A, false, GrantConfig.Command.UNLOAD, user("u1"))).isTrue();
    assertThat(grants.covers(CHAIN_A, false, GrantConfig.Command.COPY, user("u2"))).isTrue();
    assertThat(grants.covers(CHAIN_B, false, GrantConfig.Command.COPY, user("u2"))).isFalse();
  }
}
