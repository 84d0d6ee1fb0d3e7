package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link AccessDiff#between} compares the two access tables one cluster and principal at a time
 * (holding both tables whole took 4.1 GB for 2,000 users of 2,000 prefixes). Here it is compared
 * with the definition, on both whole tables: an entry is gained (lost) when no entry of the old
 * (new) table of its cluster, principal, role or chain and command covers it, an entry reached in
 * part covering only entries reached in part by the same carving. The registries are
 * {@link GeneratedRegistries}, the second made of the first's parts with some replaced, so that
 * the tables share most entries; their clusters differ in which there are and in their order.
 */
class AccessDiffByPrincipalProperties {

  @Property(tries = 250)
  void theDiffIsTheOneOfTheWholeTables(@ForAll("pairs") List<GeneratedRegistries.Parts> pair) throws Exception {
    Registry before = RegistryLoader.parse(pair.get(0).yaml(), "before.yaml", Path.of("."));
    Registry after = RegistryLoader.parse(pair.get(1).yaml(), "after.yaml", Path.of("."));
    Set<Principal> principals = new TreeSet<>(AccessReport.principals(before));
    principals.addAll(AccessReport.principals(after));
    AccessReport old = AccessReport.of(before, principals);
    AccessReport now = AccessReport.of(after, principals);

    AccessDiff diff = AccessDiff.between(before, after);

    assertThat(diff.gained()).isEqualTo(uncovered(now.entries(), old.entries()));
    assertThat(diff.lost()).isEqualTo(uncovered(old.entries(), now.entries()));
    List<AccessReport.Cut> cuts = new ArrayList<>(old.cuts());
    now.cuts().stream().filter(cut -> !cuts.contains(cut)).forEach(cuts::add);
    assertThat(diff.cuts()).isEqualTo(cuts);
    Statistics.label("gained and lost").collect(!diff.gained().isEmpty() && !diff.lost().isEmpty());
    Statistics.label("in part").collect(now.entries().stream().anyMatch(AccessEntry::partial));
    Statistics.label("clusters differ").collect(!pair.get(0).clusters().equals(pair.get(1).clusters()));
    Statistics.label("gained and lost").coverage(c -> c.check(true).percentage(p -> p >= 20));
    // about 11% of the pairs (6 CI runs: 7.2 to 14%); a bound of 10 failed one run in three, 3 is
    // four standard deviations below the mean at 250 tries and still says the case is reached
    Statistics.label("in part").coverage(c -> c.check(true).percentage(p -> p >= 3));
    Statistics.label("clusters differ").coverage(c -> c.check(true).percentage(p -> p >= 20));
  }

  /** The entries of {@code entries} (one per key) that no entry of {@code others} covers, sorted. */
  private static List<AccessEntry> uncovered(List<AccessEntry> entries, List<AccessEntry> others) {
    Map<String, AccessEntry> unique = new TreeMap<>();
    entries.forEach(e -> unique.putIfAbsent(e.key(), e));
    List<AccessEntry> out = new ArrayList<>();
    for (AccessEntry entry : unique.values()) {
      if (others.stream().noneMatch(other -> covers(other, entry))) {
        out.add(entry);
      }
    }
    out.sort(null);
    return out;
  }

  private static boolean covers(AccessEntry other, AccessEntry entry) {
    boolean sameSubject = other.cluster().equals(entry.cluster())
        && other.principal().label().equals(entry.principal().label()) && other.auth().equals(entry.auth())
        && other.command() == entry.command();
    boolean reaches = !other.partial() || entry.partial() && other.carving().equals(entry.carving());
    if (other.exact()) {
      // one object covers that object alone, not the keys or folders that start with its name
      return sameSubject && reaches && entry.exact() && other.resource().equals(entry.resource());
    }
    return sameSubject && reaches && AccessDiff.covers(other.resource(), entry);
  }

  /** Two registries; each part of the second is the first's or a new one. */
  @Provide
  Arbitrary<List<GeneratedRegistries.Parts>> pairs() {
    Arbitrary<GeneratedRegistries.Parts> parts = GeneratedRegistries.parts();
    return Combinators.combine(parts, parts, Arbitraries.integers().between(0, 31)).as((a, b, keep) -> List.of(a,
        new GeneratedRegistries.Parts((keep & 1) != 0 ? a.clusters() : b.clusters(),
            (keep & 2) != 0 ? a.reads() : b.reads(), (keep & 4) != 0 ? a.writes() : b.writes(),
            (keep & 8) != 0 ? a.statements() : b.statements(), (keep & 16) != 0 ? a.grants() : b.grants())));
  }
}
