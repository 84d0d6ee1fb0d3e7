package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AssumeRoleGrant;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Of thousands of ASSUMEROLE grants to groups or Redshift roles, a caller that names the groups and
 * roles it holds ({@link AssumeRoleGrants.HeldNames}) has only the grants to those read: every
 * statement read all of them, so a registry of n grants to n users' own groups cost {@code access}
 * n * n, and each COPY time linear in the registry. Counted, not timed: the grants asked about
 * ({@code holds} called), for a caller holding one of n groups or roles, with the grant to it first,
 * last or absent, with and without session REVOKEs on top (which take another path).
 */
class GroupGrantLookupTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R0";
  private static final int GRANTS = 2_000;

  private static Registry registry(String kind, String where) throws RegistryException {
    StringBuilder yaml = new StringBuilder("version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n"
        + "    region: us-west-2\n    attached_roles: [" + ROLE + "]\ngrants:\n");
    String mine = "  - on: [" + ROLE + "]\n    to: [\"" + kind + ":mine\"]\n    for: [COPY]\n";
    yaml.append(where.equals("first") ? mine : "");
    for (int i = 0; i < GRANTS; i++) {
      yaml.append("  - on: [" + (i % 2 == 0 ? ROLE : "ALL") + "]\n    to: [\"" + kind + ":x" + i + "\"]\n"
          + "    for: [COPY]\n");
    }
    yaml.append(where.equals("last") ? mine : "");
    return RegistryLoader.parse(yaml.toString(), "r.yaml", Path.of("."));
  }

  @ParameterizedTest
  @CsvSource({"group, first", "group, last", "group, absent", "role, first", "role, last", "role, absent"})
  void onlyTheGrantsToWhatTheCallerHoldsAreRead(String kind, String where) throws Exception {
    Registry registry = registry(kind, where);
    AssumeRoleGrant.Grantee.Kind grantee = kind.equals("group") ? AssumeRoleGrant.Grantee.Kind.GROUP
        : AssumeRoleGrant.Grantee.Kind.ROLE;
    AssumeRoleGrants.HeldNames<Set<String>> held = new AssumeRoleGrants.HeldNames<>() {
      @Override
      public Set<String> groups(Set<String> names) {
        return grantee == AssumeRoleGrant.Grantee.Kind.GROUP ? names : Set.of();
      }

      @Override
      public Set<String> roles(Set<String> names) {
        return grantee == AssumeRoleGrant.Grantee.Kind.ROLE ? names : Set.of();
      }
    };
    GrantChanges revokeFromOther = GrantChanges.NONE.plus(GrantChanges.of(false, new AssumeRoleGrant(List.of(ROLE),
        false, false, List.of(ShorthandGrantees.of("someone")), List.of("COPY"))).orElseThrow());
    for (GrantChanges session : List.of(GrantChanges.NONE, revokeFromOther)) {
      AssumeRoleGrants grants = AssumeRoleGrants.of(registry, session);
      AtomicInteger asked = new AtomicInteger();
      boolean covered = grants.covers(List.of(RoleArn.of(ROLE)), false, GrantConfig.Command.COPY, (g, names) -> {
        asked.incrementAndGet();
        return g.kind() == grantee && names.contains(g.name());
      }, Set.of("mine"), "u1", held);

      assertThat(covered).as("%s %s", kind, where).isEqualTo(!where.equals("absent"));
      assertThat(asked.get()).as("grants asked about, %s %s, session changes %s", kind, where, session.changes())
          .isLessThanOrEqualTo(1);
    }
  }
}
