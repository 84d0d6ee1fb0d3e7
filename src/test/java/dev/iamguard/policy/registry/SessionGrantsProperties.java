package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AssumeRoleGrant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * registry's grants and reading the privileges in order gives (REVOKEs kept on top and read as the
 * privileges are looked up answer as the privileges they leave). Bulk grants (to 70 users at once) make
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
    List<Model> models = new ArrayList<>(List.of(Model.of(registry))); // the oracle's reading of each state on the path
    int compared = 0;
    for (Step step : steps) {
      GrantChanges now = path.get(path.size() - 1);
      if (step instanceof Change change) {
        path.add(now.plus(change.change()));
        models.add(models.get(models.size() - 1).with(change.change()));
      } else if (step instanceof Look) {
        compared += compare(registry, now);
        compared += compare(registry, now, models.get(models.size() - 1));
      } else if (step instanceof Back back) {
        path.subList(Math.max(1, path.size() - back.states()), path.size()).clear();
        models.subList(path.size(), models.size()).clear();
        compared += compare(registry, path.get(path.size() - 1));
        compared += compare(registry, path.get(path.size() - 1), models.get(models.size() - 1));
      } else if (step instanceof Rollback rollback) {
        int committed = Math.max(0, path.size() - 1 - rollback.states());
        GrantChanges after = now.rolledBackTo(path.get(committed), rollback.keepRevokes());
        path.subList(committed + 1, path.size()).clear();
        models.subList(committed + 1, models.size()).clear();
        if (after != path.get(committed)) {
          path.add(after);
          models.add(Model.of(registry).with(after.changes()));
        }
        compared += compare(registry, after);
        compared += compare(registry, after, models.get(models.size() - 1));
      }
    }
    GrantChanges last = path.get(path.size() - 1);
    compared += compare(registry, last);
    compared += compare(registry, last, models.get(models.size() - 1));
    int size = AssumeRoleGrants.of(registry, last).size();
    Statistics.label("privileges at the end").collect(size < 32 ? "under 32" : size <= 256 ? "32 to 256" : "over 256");
    Statistics.label("privileges at the end").coverage(c -> c.check("over 256").percentage(p -> p > 5));
    Statistics.label("REVOKEs on top at a lookup").coverage(c -> c.check("some").percentage(p -> p > 20));
    assertThat(compared).isPositive();
  }

  /** Compares every lookup of {@code state} with a fresh reading; returns the number compared. */
  private static int compare(Registry registry, GrantChanges state) {
    AssumeRoleGrants kept = AssumeRoleGrants.of(registry, state);
    AssumeRoleGrants fresh = fresh(registry, state);
    Statistics.label("REVOKEs on top at a lookup").collect(kept.revokesOnTop() == 0 ? "none" : "some");
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

  private static final List<List<RoleArn>> CHAINS = List.of(List.of(RoleArn.of(A)), List.of(RoleArn.of(B)),
      List.of(RoleArn.of(A), RoleArn.of(C)), List.of(RoleArn.of(C)), List.<RoleArn>of());

  /**
   * Compares every lookup of {@code state} with the oracle's reading of the same changes, read
   * directly, through the index and as one list; returns the number compared.
   */
  private static int compare(Registry registry, GrantChanges state, Model model) {
    AssumeRoleGrants kept = AssumeRoleGrants.of(registry, state);
    int compared = 0;
    for (AssumeRoleGrants read : List.of(kept, kept.indexed(), kept.unindexed())) {
      for (List<RoleArn> chain : CHAINS) {
        for (GrantConfig.Command command : GrantConfig.Command.values()) {
          for (boolean asDefault : new boolean[] {false, true}) {
            for (String user : USERS) {
              assertThat(read.covers(chain, asDefault, command, AssumeRoleGrantsIndexProperties::holdsAs, user, user))
                  .as("%s %s default=%s as %s after %s", chain, command, asDefault, user, state.changes())
                  .isEqualTo(model.covers(chain, asDefault, command, user));
              compared++;
            }
          }
        }
      }
      assertThat(read.enforced()).as("enforced after %s", state.changes()).isEqualTo(model.enforced());
    }
    return compared;
  }

  /**
   * The oracle: privileges in a plain list, each GRANT and REVOKE applied to it in turn as facts 4
   * and the class's documentation read them (one target, grantee and command each; a REVOKE takes
   * what it names from its grantees: ALL takes every privilege, DEFAULT the DEFAULT ones and DEFAULT
   * out of ALL, chains the privileges on them and them out of ALL). Written apart from
   * {@code AssumeRoleGrants}, which keeps REVOKEs on top and applies them by grantee.
   */
  private record Model(List<Held> held) {
    private record Held(GrantConfig.Scope scope, List<RoleArn> chain, AssumeRoleGrant.Grantee grantee,
        GrantConfig.Command command, Set<List<RoleArn>> excluded, boolean excludesDefault) {}

    static Model of(Registry registry) {
      Model model = new Model(List.of());
      for (GrantConfig grant : registry.grants()) {
        model = model.with(new GrantChanges.Change(true, grant));
      }
      return model;
    }

    Model with(List<GrantChanges.Change> changes) {
      Model model = this;
      for (GrantChanges.Change change : changes) {
        model = model.with(change);
      }
      return model;
    }

    Model with(GrantChanges.Change change) {
      GrantConfig what = change.what();
      List<Held> next = new ArrayList<>();
      if (change.grant()) {
        next.addAll(held);
        for (GrantConfig.Command command : commands(what)) {
          for (AssumeRoleGrant.Grantee grantee : what.grantees()) {
            for (List<RoleArn> chain : what.scope() == GrantConfig.Scope.CHAINS ? what.chains() : List.of(List.<RoleArn>of())) {
              next.add(new Held(what.scope(), chain, grantee, command, Set.of(), false));
            }
          }
        }
        return new Model(next);
      }
      for (Held h : held) {
        boolean named = commands(what).contains(h.command())
            && what.grantees().stream().anyMatch(g -> g.kind() == h.grantee().kind()
                && (g.kind() == AssumeRoleGrant.Grantee.Kind.PUBLIC || g.name().equalsIgnoreCase(h.grantee().name())));
        if (!named) {
          next.add(h);
        } else if (what.scope() == GrantConfig.Scope.DEFAULT && h.scope() == GrantConfig.Scope.ALL) {
          next.add(new Held(h.scope(), h.chain(), h.grantee(), h.command(), h.excluded(), true));
        } else if (what.scope() == GrantConfig.Scope.DEFAULT && h.scope() == GrantConfig.Scope.CHAINS) {
          next.add(h);
        } else if (what.scope() == GrantConfig.Scope.CHAINS && h.scope() == GrantConfig.Scope.ALL) {
          Set<List<RoleArn>> excluded = new java.util.HashSet<>(h.excluded());
          excluded.addAll(what.chains());
          next.add(new Held(h.scope(), h.chain(), h.grantee(), h.command(), excluded, h.excludesDefault()));
        } else if (what.scope() == GrantConfig.Scope.CHAINS && h.scope() == GrantConfig.Scope.CHAINS
            && !what.chains().contains(h.chain()) || what.scope() == GrantConfig.Scope.CHAINS && h.scope() == GrantConfig.Scope.DEFAULT) {
          next.add(h);
        } // else taken: REVOKE ALL, a DEFAULT privilege by DEFAULT, a privilege on a chain revoked
      }
      return new Model(next);
    }

    boolean covers(List<RoleArn> chain, boolean asDefault, GrantConfig.Command command, String user) {
      return held.stream().anyMatch(h -> h.command() == command
          && AssumeRoleGrantsIndexProperties.holdsAs(h.grantee(), user)
          && switch (h.scope()) {
            case ALL -> asDefault ? !h.excludesDefault() : !h.excluded().contains(chain);
            case DEFAULT -> asDefault;
            case CHAINS -> !asDefault && h.chain().equals(chain);
          });
    }

    /** Some command for which PUBLIC does not hold ALL without exceptions. */
    boolean enforced() {
      return commands(new GrantConfig(GrantConfig.Scope.ALL, List.of(), List.of(), Set.of(GrantConfig.Command.ALL), 0))
          .stream().anyMatch(command -> held.stream().noneMatch(h -> h.command() == command
              && h.scope() == GrantConfig.Scope.ALL && h.grantee().kind() == AssumeRoleGrant.Grantee.Kind.PUBLIC
              && h.excluded().isEmpty() && !h.excludesDefault()));
    }

    private static List<GrantConfig.Command> commands(GrantConfig grant) {
      return java.util.Arrays.stream(GrantConfig.Command.values())
          .filter(c -> c != GrantConfig.Command.ALL
              && (grant.commands().contains(GrantConfig.Command.ALL) || grant.commands().contains(c)))
          .toList();
    }
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
        Arbitraries.of("PUBLIC", "user1", "USER1", "User2", "u7", "group:etl", "GROUP:ETL", "role:loader", "group:other").list()
            .ofMinSize(1).ofMaxSize(3).uniqueElements(),
        Arbitraries.just(bulk()));
    Arbitrary<List<String>> commands = Arbitraries.of("COPY", "UNLOAD", "EXTERNAL FUNCTION", "CREATE MODEL", "ALL")
        .list().ofMinSize(1).ofMaxSize(2).uniqueElements();
    Arbitrary<Step> change = Combinators.combine(Arbitraries.of(true, true, false), roles, scope, grantees, commands)
        .as((grant, r, s, to, what) -> new Change(GrantChanges.of(grant,
            new AssumeRoleGrant(s < 2 ? r : List.of(), s == 2, s == 3, to.stream().map(ShorthandGrantees::of).toList(), what)).orElseThrow()));
    Arbitrary<Step> look = Arbitraries.just(new Look());
    Arbitrary<Step> back = Arbitraries.integers().between(1, 6).map(Back::new);
    Arbitrary<Step> rollback = Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.of(true, false))
        .as(Rollback::new);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, change), net.jqwik.api.Tuple.of(4, look),
        net.jqwik.api.Tuple.of(1, back), net.jqwik.api.Tuple.of(1, rollback)).list().ofMaxSize(40);
  }

  /** 70 users, one of whom (u7) the lookups ask about: a grant to them all for every command is over 256 privileges. */
  private static List<String> bulk() {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      users.add("u" + i);
    }
    return users;
  }
}
