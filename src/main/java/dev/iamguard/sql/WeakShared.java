package dev.iamguard.sql;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instances shared by key for as long as something holds them (a connection holds its registry
 * watch and its audit file): once nothing does, the collector may drop the instance and its entry
 * goes with it. A driver lives as long as the application, and an application server may open
 * connections to ever new registry files or audit files, or redeploy many times: a map that kept
 * every instance ever opened would grow without bound. Thread-safe; opening an instance is left to
 * the caller, outside any lock (it may read files), and {@link #share} settles races.
 *
 * @param <K> the key
 * @param <V> the shared instance
 */
public final class WeakShared<K, V> {
  private final ConcurrentHashMap<K, Held<K, V>> entries = new ConcurrentHashMap<>();
  private final ReferenceQueue<V> dropped = new ReferenceQueue<>();

  /** An instance with its key, so that the entry can be removed once the instance is dropped. */
  private static final class Held<K, V> extends WeakReference<V> {
    final K key;

    Held(K key, V value, ReferenceQueue<V> queue) {
      super(value, queue);
      this.key = key;
    }
  }

  /** The instance shared for {@code key}, or null when none is (or it was dropped). */
  public V get(K key) {
    purge();
    Held<K, V> held = entries.get(key);
    return held == null ? null : held.get();
  }

  /**
   * Shares {@code made} for {@code key}, unless another instance is shared for it already: then
   * that one is returned, and the caller discards {@code made}.
   */
  public V share(K key, V made) {
    purge();
    Held<K, V> fresh = new Held<>(key, made, dropped);
    while (true) {
      Held<K, V> current = entries.get(key);
      V shared = current == null ? null : current.get();
      if (shared != null) {
        return shared;
      }
      if (current == null ? entries.putIfAbsent(key, fresh) == null : entries.replace(key, current, fresh)) {
        return made;
      }
    }
  }

  /**
   * Stops sharing {@code shared} under {@code key} (an instance that was closed): the next
   * {@link #share} for the key makes a fresh one. Does nothing when another instance is shared under it.
   */
  public void remove(K key, V shared) {
    purge();
    Held<K, V> current = entries.get(key);
    if (current != null && current.get() == shared) {
      entries.remove(key, current);
    }
  }

  /** How many instances are shared now (entries of dropped instances are removed first); for tests. */
  public int size() {
    purge();
    entries.values().removeIf(held -> held.get() == null); // cleared, perhaps not queued yet
    return entries.size();
  }

  private void purge() {
    for (java.lang.ref.Reference<? extends V> gone; (gone = dropped.poll()) != null; ) {
      @SuppressWarnings("unchecked")
      Held<K, V> held = (Held<K, V>) gone;
      entries.remove(held.key, held); // only this entry: a fresh instance may be shared under the key now
    }
  }
}
