package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AssumeRoleGrant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The privileges a session's GRANT and REVOKE statements leave are worked out from the state before
 * (kept by the newest state of a chain, GRANTs kept on top of the privileges before them, an index
 * made once a state is read often); whatever the order of changes, lookups, returns to an earlier
 * state and rollbacks, every answer is the one applying all of the state's changes afresh to the
 * registry's grants and reading the privileges in order gives. Bulk grants (to 40 users at once) make
 * states of hundreds of privileges, so the index and the merging of the GRANTs on top are met too.
 */
class SessionGrantsProperties {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::123456789012:role/RoleB";
  private static final String C = "arn:aws:iam::210987654321:role/RoleC";
  private static final String[] USERS = {"user1", "USER2", "u7", "nobody", null};

  /** One step of a session: a change, a lookup of everything, a return to an earlier state, a rollback. */
  private sealed interface Step permits Change, Look, Back, Rollback {}

  private record Change(GrantChanges.Change change) implements Step {}

  private record Look() implements Step {}

  private record Back(int states) implements Step {}

  private record Rollback(int states, boolean keepRevokes) implements Step {}

  @Property(tries = 150)
  void everyStateAnswersAsItsChangesAppliedAfresh(@ForAll("sessions") List<Step> steps) throws Exception {
    Registry registry = RegistryLoader.parse("""
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%s, %s]
        grants:
          - on: ["%s"]
            to: [user1, "group:etl"]
            for: [COPY]
          - on: default
            to: [PUBLIC]
            for: [UNLOAD]
        """.formatted(A, B, A), "r.yaml", Path.of("."));
    List<GrantChanges> path = new ArrayList<>(List.of(GrantChanges.NONE)); // each state extends the one before
    int compared = 0;
    for (Step step : steps) {
      GrantChanges now = path.get(path.size() - 1);
      if (step instanceof Change change) {
        path.add(now.plus(change.change()));
      } else if (step instanceof Look) {
        compared += compare(registry, now);
      } else if (step instanceof Back back) {
        path.subList(Math.max(1, path.size() - back.states()), path.size()).clear();
        compared += compare(registry, path.get(path.size() - 1));
      } else if (step instanceof Rollback rollback) {
        int committed = Math.max(0, path.size() - 1 - rollback.states());
        GrantChanges after = now.rolledBackTo(path.get(committed), rollback.keepRevokes());
        path.subList(committed + 1, path.size()).clear();
        if (after != path.get(committed)) {
          path.add(after);
        }
        compared += compare(registry, after);
      }
    }
    GrantChanges last = path.get(path.size() - 1);
    compared += compare(registry, last);
    int size = AssumeRoleGrants.of(registry, last).size();
    Statistics.label("privileges at the end").collect(size < 32 ? "under 32" : size <= 256 ? "32 to 256" : "over 256");
    Statistics.label("privileges at the end").coverage(c -> c.check("over 256").percentage(p -> p > 5));
    assertThat(compared).isPositive();
  }

  /** Compares every lookup of {@code state} with a fresh reading; returns the number compared. */
  private static int compare(Registry registry, GrantChanges state) {
    AssumeRoleGrants kept = AssumeRoleGrants.of(registry, state);
    AssumeRoleGrants fresh = fresh(registry, state);
    int compared = 0;
    for (List<RoleArn> chain : List.of(List.of(RoleArn.of(A)), List.of(RoleArn.of(B)), List.of(RoleArn.of(A),
        RoleArn.of(C)), List.of(RoleArn.of(C)), List.<RoleArn>of())) {
      for (GrantConfig.Command command : GrantConfig.Command.values()) {
        for (boolean asDefault : new boolean[] {false, true}) {
          for (String user : USERS) {
            assertThat(kept.covers(chain, asDefault, command, AssumeRoleGrantsIndexProperties::holdsAs, user, user))
                .as("%s %s default=%s as %s after %s", chain, command, asDefault, user, state.changes())
                .isEqualTo(fresh.covers(chain, asDefault, command, AssumeRoleGrantsIndexProperties::holdsAs, user));
            compared++;
          }
        }
      }
    }
    assertThat(kept.enforced()).isEqualTo(fresh.enforced());
    return compared;
  }

  /** All of the state's changes applied to the registry's grants in a chain of its own (nothing kept), read in order. */
  private static AssumeRoleGrants fresh(Registry registry, GrantChanges state) {
    GrantChanges again = GrantChanges.NONE;
    for (GrantChanges.Change change : state.changes()) {
      again = again.plus(change);
    }
    return AssumeRoleGrants.of(registry, again).unindexed();
  }

  @Provide
  Arbitrary<List<Step>> sessions() {
    Arbitrary<List<String>> roles = Arbitraries.of(A, B, C, A + "," + C).list().ofMinSize(1).ofMaxSize(2).uniqueElements();
    Arbitrary<Integer> scope = Arbitraries.integers().between(0, 3); // 0, 1: chains; 2: DEFAULT; 3: ALL
    Arbitrary<List<String>> grantees = Arbitraries.oneOf(
        Arbitraries.of("PUBLIC", "user1", "User2", "u7", "group:etl", "role:loader", "group:other").list()
            .ofMinSize(1).ofMaxSize(3).uniqueElements(),
        Arbitraries.just(bulk()));
    Arbitrary<List<String>> commands = Arbitraries.of("COPY", "UNLOAD", "EXTERNAL FUNCTION", "CREATE MODEL", "ALL")
        .list().ofMinSize(1).ofMaxSize(2).uniqueElements();
    Arbitrary<Step> change = Combinators.combine(Arbitraries.of(true, true, false), roles, scope, grantees, commands)
        .as((grant, r, s, to, what) -> new Change(GrantChanges.of(grant,
            new AssumeRoleGrant(s < 2 ? r : List.of(), s == 2, s == 3, to, what)).orElseThrow()));
    Arbitrary<Step> look = Arbitraries.just(new Look());
    Arbitrary<Step> back = Arbitraries.integers().between(1, 6).map(Back::new);
    Arbitrary<Step> rollback = Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.of(true, false))
        .as(Rollback::new);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, change), net.jqwik.api.Tuple.of(4, look),
        net.jqwik.api.Tuple.of(1, back), net.jqwik.api.Tuple.of(1, rollback)).list().ofMaxSize(40);
  }

  /** 40 users, one of whom (u7) the lookups ask about. */
  private static List<String> bulk() {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      users.add("u" + i);
    }
    return users;
  }
}
