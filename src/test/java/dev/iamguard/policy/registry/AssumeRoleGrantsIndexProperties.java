package dev.iamguard.policy.registry;

import dev.iamguard.sql.AssumeRoleGrant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The registry's ASSUMEROLE privileges are looked up by command and chain (an index made once per
 * registry); the answer is the one reading every privilege in order gives, for every chain (the
 * granted ones, their reversals and parts, names in other case and path), command, DEFAULT or not,
 * and holder. Grants are generated: ALL, default, one or several chains, to PUBLIC, users, groups and
 * roles, for one or several commands.
 */
class AssumeRoleGrantsIndexProperties {
  private static final String[] ROLES = {
      "arn:aws:iam::123456789012:role/RoleA", "arn:aws:iam::123456789012:role/RoleB",
      "arn:aws:iam::210987654321:role/RoleC", "arn:aws:iam::123456789012:role/etl/RoleD"};
  private static final String[] GRANTEES = {"PUBLIC", "user1", "USER2", "\"group:etl\"", "\"role:loader\"",
      "\u0131stanbul", "\"\u0130STANBUL\"", "\"group:g2\"", "\"group:g3\"", "\"role:r2\"", "\"role:etl\""};
  private static final String[] COMMANDS = {"COPY", "UNLOAD", "EXTERNAL FUNCTION", "CREATE MODEL", "ALL"};

  private record Grant(String on, List<String> to, List<String> commands) {}

  @Property(tries = 300)
  void theIndexAnswersAsReadingEveryPrivilege(@ForAll("grants") List<Grant> grants) throws Exception {
    Registry registry = RegistryLoader.parse(yaml(grants), "r.yaml", Path.of("."));
    AssumeRoleGrants indexed = registry.assumeRoleGrants().indexed();
    AssumeRoleGrants read = registry.assumeRoleGrants().unindexed();

    for (List<RoleArn> chain : chains()) {
      for (GrantConfig.Command command : GrantConfig.Command.values()) {
        for (boolean asDefault : new boolean[] {false, true}) {
          for (Set<String> holder : List.of(Set.of("public"), Set.of("public", "user1"), Set.of("user2"),
              Set.of("etl"), Set.of("loader", "etl", "user1"), Set.<String>of(), Set.of("g2"), Set.of("r2"),
              Set.of("g3", "r2", "user1"))) {
            BiPredicate<AssumeRoleGrant.Grantee, Set<String>> holds = (grantee, names) ->
                names.contains(grantee.name().toLowerCase(Locale.ROOT));
            assertThat(indexed.covers(chain, asDefault, command, holds, holder))
                .as("%s %s default=%s %s", chain, command, asDefault, holder)
                .isEqualTo(read.covers(chain, asDefault, command, holds, holder));
            // the groups and roles held named: the index reads only their grants, with the same answer
            for (String user : new String[] {"user1", null}) {
              assertThat(indexed.covers(chain, asDefault, command, AssumeRoleGrantsIndexProperties::holdsExactly,
                  holder, user, NAMED))
                  .as("%s %s default=%s %s named, as %s", chain, command, asDefault, holder, user)
                  .isEqualTo(read.covers(chain, asDefault, command, (grantee, names) -> holdsExactly(grantee, names)
                      && (grantee.kind() != AssumeRoleGrant.Grantee.Kind.USER || grantee.name().equalsIgnoreCase(user)),
                      holder));
            }
          }
          for (String user : USERS) {
            assertThat(indexed.covers(chain, asDefault, command, AssumeRoleGrantsIndexProperties::holdsAs, user, user))
                .as("%s %s default=%s as %s", chain, command, asDefault, user)
                .isEqualTo(read.covers(chain, asDefault, command, AssumeRoleGrantsIndexProperties::holdsAs, user))
                .isEqualTo(read.covers(chain, asDefault, command, AssumeRoleGrantsIndexProperties::holdsAs, user, user));
          }
        }
      }
    }
  }

  /** The holder's names are its groups and roles (and more: a name may be held and granted nothing). */
  static final AssumeRoleGrants.HeldNames<Set<String>> NAMED = new AssumeRoleGrants.HeldNames<>() {
    @Override
    public Set<String> groups(Set<String> holder) {
      return holder;
    }

    @Override
    public Set<String> roles(Set<String> holder) {
      return holder;
    }
  };

  /**
   * Whether a holder of {@code names} holds {@code grantee}: groups and roles by exact name (as the
   * guard's rule reads them), users in lower case, PUBLIC when the names hold "public".
   */
  static boolean holdsExactly(AssumeRoleGrant.Grantee grantee, Set<String> names) {
    return switch (grantee.kind()) {
      case PUBLIC -> names.contains("public");
      case USER -> names.contains(grantee.name().toLowerCase(Locale.ROOT));
      default -> names.contains(grantee.name());
    };
  }

  /** Session users: granted ones in other case, one granted nothing, none (an unknown identity). */
  private static final String[] USERS = {"user1", "User2", "USER2", "nobody", "\u0130stanbul", null};

  /**
   * What a session holds as {@code user} (null: an unknown identity) in groups etl and roles loader:
   * as the guard's rule reads it, a grant to a user only for that user, in any case.
   */
  static boolean holdsAs(AssumeRoleGrant.Grantee grantee, String user) {
    return switch (grantee.kind()) {
      case PUBLIC -> true;
      case USER -> user != null && grantee.name().equalsIgnoreCase(user);
      case GROUP -> grantee.name().equalsIgnoreCase("etl");
      default -> grantee.name().equalsIgnoreCase("loader");
    };
  }

  /** Every chain of one or two of the roles, and spellings the grants do not use. */
  private static List<List<RoleArn>> chains() {
    List<List<RoleArn>> chains = new ArrayList<>();
    chains.add(List.of());
    for (String first : ROLES) {
      chains.add(List.of(RoleArn.of(first)));
      chains.add(List.of(RoleArn.of(first.replace("/Role", "/ROLE")))); // a name in other case
      chains.add(List.of(RoleArn.of(first.replace(":role/", ":role/other/")))); // another path
      for (String second : ROLES) {
        chains.add(List.of(RoleArn.of(first), RoleArn.of(second)));
      }
    }
    chains.add(List.of(RoleArn.of(ROLES[0]), RoleArn.of(ROLES[1]), RoleArn.of(ROLES[2])));
    return chains;
  }

  @Provide
  Arbitrary<List<Grant>> grants() {
    Arbitrary<String> chain = Arbitraries.of(ROLES).list().ofMinSize(1).ofMaxSize(3).uniqueElements()
        .map(roles -> "\"" + String.join(",", roles) + "\"");
    Arbitrary<String> on = Arbitraries.oneOf(Arbitraries.of("ALL", "default", "[default]"),
        chain.list().ofMinSize(1).ofMaxSize(3).map(chains -> "[" + String.join(", ", chains) + "]"));
    Arbitrary<List<String>> to = Arbitraries.of(GRANTEES).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    Arbitrary<List<String>> commands = Arbitraries.of(COMMANDS).list().ofMinSize(1).ofMaxSize(2).uniqueElements();
    return Combinators.combine(on, to, commands).as(Grant::new).list().ofMaxSize(8);
  }

  private static String yaml(List<Grant> grants) {
    StringBuilder yaml = new StringBuilder("""
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%s, %s, %s]
        """.formatted(ROLES[0], ROLES[1], ROLES[3]));
    yaml.append(grants.isEmpty() ? "" : "grants:\n");
    if (!grants.isEmpty()) {
      // groups and roles no holder is in, enough of them that the names held are looked up among
      // the broad grants and those on the first role, not read in order
      StringBuilder others = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        others.append(i == 0 ? "" : ", ").append("\"group:x").append(i).append("\", \"role:y").append(i).append('"');
      }
      yaml.append("  - on: ALL\n    to: [").append(others).append("]\n    for: [ALL]\n");
      yaml.append("  - on: [\"").append(ROLES[0]).append("\"]\n    to: [").append(others).append("]\n    for: [ALL]\n");
    }
    for (Grant grant : grants) {
      yaml.append("  - on: ").append(grant.on()).append('\n')
          .append("    to: [").append(String.join(", ", grant.to())).append("]\n")
          .append("    for: [").append(String.join(", ", grant.commands())).append("]\n");
    }
    return yaml.toString();
  }
}
