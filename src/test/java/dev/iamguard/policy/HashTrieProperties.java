package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * {@link HashTrie} is a map: after any sequence of changes it holds what a {@link HashMap} given the
 * same changes holds (lookups, size, entries, equality and hash code both ways), and every earlier
 * version still holds what it held (a change copies, never alters). Keys are generated with hash
 * codes that share every bit, all but the top two (the last level), all but one level's, or none,
 * so that the last level's lists, deep paths and full nodes are all met.
 */
class HashTrieProperties {
  /** A key whose hash code is given: equal keys have equal names. */
  record Key(String name, int hash) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private record Put(Key key, Integer value) {}

  @Property(tries = 300)
  void everyVersionHoldsWhatAHashMapGivenTheSameChangesHolds(@ForAll("changes") List<Put> puts) {
    List<HashTrie<Key, Integer>> versions = new ArrayList<>(List.of(HashTrie.empty()));
    List<Map<Key, Integer>> models = new ArrayList<>(List.of(Map.of()));
    for (Put put : puts) {
      Map<Key, Integer> model = new HashMap<>(models.get(models.size() - 1));
      model.put(put.key(), put.value());
      versions.add(versions.get(versions.size() - 1).with(put.key(), put.value()));
      models.add(model);
    }
    for (int v = 0; v < versions.size(); v += Math.max(1, versions.size() / 20)) {
      assertSame(versions.get(v), models.get(v));
    }
    assertSame(versions.get(versions.size() - 1), models.get(models.size() - 1));
    assertThat(HashTrie.of(models.get(models.size() - 1))).isEqualTo(models.get(models.size() - 1));
    Statistics.label("keys").collect(models.get(models.size() - 1).size() < 100 ? "under 100" : "100 or more");
  }

  private static void assertSame(HashTrie<Key, Integer> trie, Map<Key, Integer> model) {
    assertThat(trie.size()).isEqualTo(model.size());
    assertThat(trie.isEmpty()).isEqualTo(model.isEmpty());
    for (Map.Entry<Key, Integer> entry : model.entrySet()) {
      assertThat(trie.get(entry.getKey())).as("%s", entry.getKey()).isEqualTo(entry.getValue());
      assertThat(trie.containsKey(entry.getKey())).isTrue();
    }
    assertThat(trie.get(new Key("absent", 0))).isNull();
    assertThat(trie.get(null)).isNull();
    Map<Key, Integer> listed = new HashMap<>();
    int entries = 0;
    for (Map.Entry<Key, Integer> entry : trie.entrySet()) {
      listed.put(entry.getKey(), entry.getValue());
      entries++;
    }
    assertThat(entries).as("each entry listed once").isEqualTo(model.size());
    assertThat(listed).isEqualTo(model);
    assertThat(trie).isEqualTo(model);
    assertThat(model).isEqualTo(trie);
    assertThat(trie.hashCode()).isEqualTo(model.hashCode());
  }

  @Provide
  Arbitrary<List<Put>> changes() {
    Arbitrary<Integer> hash = Arbitraries.oneOf(
        Arbitraries.integers(), // anything
        Arbitraries.of(7, -7), // one hash code for all: the last level's list
        Arbitraries.integers().between(0, 3).map(top -> top << 30 | 12345), // all bits but the top two shared
        Arbitraries.integers().between(0, 31).map(part -> part << 20 | 99), // one level apart
        Arbitraries.integers().between(0, 1023)); // low bits only: full nodes near the root
    Arbitrary<Key> key = Combinators.combine(Arbitraries.integers().between(0, 400), hash)
        .as((name, h) -> new Key("k" + name, h));
    // a name keeps its hash code within one run only if generated so: normalise by name
    return Combinators.combine(key, Arbitraries.integers().between(0, 9)).as(Put::new).list().ofMaxSize(600)
        .map(HashTrieProperties::oneHashPerName);
  }

  /** Keys are equal by name, so one name must keep one hash code (as a real key does). */
  private static List<Put> oneHashPerName(List<Put> puts) {
    Map<String, Integer> hashes = new HashMap<>();
    List<Put> consistent = new ArrayList<>();
    for (Put put : puts) {
      int h = hashes.computeIfAbsent(put.key().name(), n -> put.key().hash());
      consistent.add(new Put(new Key(put.key().name(), h), put.value()));
    }
    return consistent;
  }

  /** Twenty thousand keys of one hash code and twenty thousand of distinct ones, with every key changed twice. */
  @Test
  void manyKeysOfOneHashCodeAndManyOfDistinctOnes() {
    HashTrie<Key, Integer> trie = HashTrie.empty();
    Map<Key, Integer> model = new HashMap<>();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 20_000; i++) {
        Key same = new Key("s" + (i % 2000), 42);
        Key distinct = new Key("d" + i, i * 0x9E3779B9);
        trie = trie.with(same, i + round).with(distinct, i - round);
        model.put(same, i + round);
        model.put(distinct, i - round);
      }
    }
    assertSame(trie, model);
    assertThat(trie.size()).isEqualTo(2000 + 20_000);
  }
}
