package dev.iamguard.policy.suggest;

import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.sql.S3Location;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The S3 objects a statement touches, as an IAM document can name them: one key, or every key that
 * starts with {@code key} ({@code prefix}). Finer than a registry prefix, which grants by path
 * segment: {@code UNLOAD ... TO 's3://b/out/venue_'} needs {@code out/venue_*}, which IAM writes
 * exactly, where the registry can only name the folder {@code out/}; a manifest needs its own key,
 * not the keys under it.
 *
 * @param bucket the bucket
 * @param key the key, or the start of the keys
 * @param prefix true for every key starting with {@code key}, false for {@code key} alone
 */
public record KeyPattern(String bucket, String key, boolean prefix) {

  /**
   * The objects a location touches: {@code uri} (already checked) as one key, or as the start of
   * keys when {@code keyPrefix}; {@code depth} > 0 keeps at most that many key segments, as
   * {@link KeySpaces#needed} does, and then names the folder it keeps.
   */
  static KeyPattern of(String uri, boolean keyPrefix, int depth) {
    S3Prefix kept = KeySpaces.needed(uri, keyPrefix, depth);
    if (depth > 0 && !kept.equals(KeySpaces.needed(uri, keyPrefix, 0))) {
      return new KeyPattern(kept.bucket(), kept.key(), true);
    }
    return new KeyPattern(kept.bucket(), S3Location.key(uri), keyPrefix);
  }

  /** What a registry prefix grants: the keys under a folder, or one key and the keys under it as a folder. */
  static List<KeyPattern> of(S3Prefix granted) {
    String key = granted.key();
    if (key.isEmpty() || key.endsWith("/")) {
      return List.of(new KeyPattern(granted.bucket(), key, true));
    }
    return List.of(new KeyPattern(granted.bucket(), key, false), new KeyPattern(granted.bucket(), key + "/", true));
  }

  /** What registry prefixes grant, as patterns. */
  static List<KeyPattern> of(List<S3Prefix> granted) {
    List<KeyPattern> patterns = new ArrayList<>();
    granted.forEach(p -> patterns.addAll(of(p)));
    return patterns;
  }

  /** True for the whole bucket. */
  boolean wholeBucket() {
    return prefix && key.isEmpty();
  }

  /**
   * The fewest of {@code patterns} that name every object they name, in first-seen order. Sorted,
   * a prefix comes before everything it covers, and so does everything between the two: one pass
   * with the last prefix kept decides each (comparing each with every other would be quadratic in a
   * role's thousands of dated folders).
   */
  static List<KeyPattern> merge(Collection<KeyPattern> patterns) {
    List<KeyPattern> sorted = new ArrayList<>(new LinkedHashSet<>(patterns));
    sorted.sort(Comparator.comparing(KeyPattern::bucket).thenComparing(KeyPattern::key)
        .thenComparing(p -> !p.prefix()));
    Set<KeyPattern> covered = new HashSet<>();
    KeyPattern last = null;
    for (KeyPattern pattern : sorted) {
      if (last != null && last.bucket().equals(pattern.bucket()) && pattern.key().startsWith(last.key())) {
        covered.add(pattern);
      } else if (pattern.prefix()) {
        last = pattern;
      }
    }
    List<KeyPattern> kept = new ArrayList<>();
    for (KeyPattern pattern : new LinkedHashSet<>(patterns)) {
      if (!covered.contains(pattern)) {
        kept.add(pattern);
      }
    }
    return kept;
  }
}
