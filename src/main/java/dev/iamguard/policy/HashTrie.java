package dev.iamguard.policy;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map whose changed copy ({@link #with}) shares all but one path of nodes with it: a
 * trie over the keys' hash codes, five bits a level (at most seven levels, then a list of the keys
 * whose hash codes are all equal). A change copies at most seven nodes of 32 slots, so a script
 * that creates tens of thousands of external schemas and tables stays linear (each CREATE copied
 * every one known before). Equal, as a {@link Map}, to any map of the same entries. No null keys or
 * values.
 *
 * @param <K> the keys
 * @param <V> the values
 */
final class HashTrie<K, V> extends AbstractMap<K, V> {
  private static final int BITS = 5;
  private static final int WIDTH = 1 << BITS;
  private static final HashTrie<?, ?> EMPTY = new HashTrie<>(new Object[WIDTH], 0);

  /** A node's slots: null, an {@link Entry} (a leaf), a {@link Same} (keys of one hash code) or a node. */
  private final Object[] root;
  private final int size;

  private HashTrie(Object[] root, int size) {
    this.root = root;
    this.size = size;
  }

  /** Keys whose hash codes are all equal, below the last level. */
  private record Same(int hash, Entry<?, ?>[] entries) {}

  @SuppressWarnings("unchecked")
  static <K, V> HashTrie<K, V> empty() {
    return (HashTrie<K, V>) EMPTY;
  }

  /** {@code entries} as a trie: itself when it is one. */
  static <K, V> HashTrie<K, V> of(Map<K, V> entries) {
    if (entries instanceof HashTrie<K, V> trie) {
      return trie;
    }
    HashTrie<K, V> trie = empty();
    for (Map.Entry<K, V> entry : entries.entrySet()) {
      trie = trie.with(entry.getKey(), entry.getValue());
    }
    return trie;
  }

  /** This map with {@code key} mapped to {@code value}. */
  HashTrie<K, V> with(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    boolean[] added = new boolean[1];
    Object[] changed = put(root, 0, key.hashCode(), new SimpleImmutableEntry<>(key, value), added);
    return new HashTrie<>(changed, size + (added[0] ? 1 : 0));
  }

  /** A copy of {@code node} (at {@code shift}) with {@code entry} in it; {@code added[0]}: its key is new. */
  private static Object[] put(Object[] node, int shift, int hash, Entry<?, ?> entry, boolean[] added) {
    Object[] copy = node.clone();
    int slot = (hash >>> shift) & (WIDTH - 1);
    Object there = node[slot];
    if (there == null) {
      copy[slot] = entry;
      added[0] = true;
    } else if (there instanceof Object[] child) {
      copy[slot] = put(child, shift + BITS, hash, entry, added);
    } else if (there instanceof Same same) {
      copy[slot] = withSame(same, entry, added); // only at the last level, which only keys of its hash code reach
    } else {
      Entry<?, ?> leaf = (Entry<?, ?>) there;
      int leafHash = leaf.getKey().hashCode();
      if (leaf.getKey().equals(entry.getKey())) {
        copy[slot] = entry;
      } else if (leafHash == hash && shift + BITS >= Integer.SIZE) {
        copy[slot] = new Same(hash, new Entry<?, ?>[] {leaf, entry});
        added[0] = true;
      } else {
        // a node one level down holds both (a level below the last is never made: keys that reach
        // the last level in one slot have one hash code)
        Object[] below = new Object[WIDTH];
        below[(leafHash >>> (shift + BITS)) & (WIDTH - 1)] = leaf;
        copy[slot] = put(below, shift + BITS, hash, entry, added);
      }
    }
    return copy;
  }

  private static Same withSame(Same same, Entry<?, ?> entry, boolean[] added) {
    Entry<?, ?>[] entries = same.entries();
    for (int i = 0; i < entries.length; i++) {
      if (entries[i].getKey().equals(entry.getKey())) {
        Entry<?, ?>[] replaced = entries.clone();
        replaced[i] = entry;
        return new Same(same.hash(), replaced);
      }
    }
    Entry<?, ?>[] more = Arrays.copyOf(entries, entries.length + 1);
    more[entries.length] = entry;
    added[0] = true;
    return new Same(same.hash(), more);
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    if (key == null) {
      return null;
    }
    int hash = key.hashCode();
    Object[] node = root;
    for (int shift = 0; ; shift += BITS) {
      Object there = node[(hash >>> shift) & (WIDTH - 1)];
      if (there instanceof Object[] child) {
        node = child;
      } else if (there instanceof Same same) {
        for (Entry<?, ?> entry : same.entries()) {
          if (entry.getKey().equals(key)) {
            return (V) entry.getValue();
          }
        }
        return null;
      } else {
        Entry<?, ?> leaf = (Entry<?, ?>) there;
        return leaf != null && leaf.getKey().equals(key) ? (V) leaf.getValue() : null;
      }
    }
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Leaves<>(root);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** The entries, depth first. */
  private static final class Leaves<K, V> implements Iterator<Map.Entry<K, V>> {
    private final Deque<Object[]> nodes = new ArrayDeque<>();
    private final Deque<Integer> slots = new ArrayDeque<>();
    private Entry<?, ?>[] same = new Entry<?, ?>[0];
    private int inSame;
    private Entry<?, ?> next;

    Leaves(Object[] root) {
      nodes.push(root);
      slots.push(0);
      advance();
    }

    private void advance() {
      next = null;
      if (inSame < same.length) {
        next = same[inSame++];
        return;
      }
      while (!nodes.isEmpty()) {
        Object[] node = nodes.peek();
        int slot = slots.pop();
        if (slot == WIDTH) {
          nodes.pop();
          continue;
        }
        slots.push(slot + 1);
        Object there = node[slot];
        if (there instanceof Object[] child) {
          nodes.push(child);
          slots.push(0);
        } else if (there instanceof Same list) {
          same = list.entries();
          inSame = 1;
          next = same[0];
          return;
        } else if (there != null) {
          next = (Entry<?, ?>) there;
          return;
        }
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map.Entry<K, V> next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Map.Entry<K, V> entry = (Map.Entry<K, V>) next;
      advance();
      return entry;
    }
  }
}
