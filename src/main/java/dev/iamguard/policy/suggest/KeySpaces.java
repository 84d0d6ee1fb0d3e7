package dev.iamguard.policy.suggest;

import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.sql.S3Location;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The registry prefixes that cover the S3 locations a role's statements touch, as few as cover
 * them. A registry prefix grants by path segment ({@code s3://b/a} the key {@code a} and the keys
 * under {@code a/}), so a location that is a key prefix ending inside a segment
 * ({@code s3://b/out/venue_}, which also touches {@code out/venue_0000_part_00}) needs its folder
 * ({@code s3://b/out/}); a folder or one exact key (a manifest) is granted as it is.
 */
final class KeySpaces {
  private KeySpaces() {}

  /**
   * The prefix a location needs: {@code uri} (already checked by {@link S3Prefixes#problem}) with
   * {@code keyPrefix} when every key starting with it is touched; {@code depth} > 0 keeps at most
   * that many key segments.
   */
  static S3Prefix needed(String uri, boolean keyPrefix, int depth) {
    String bucket = S3Location.bucket(uri);
    String key = S3Location.key(uri);
    if (keyPrefix && !key.isEmpty() && !key.endsWith("/")) {
      key = key.substring(0, key.lastIndexOf('/') + 1);
    }
    if (depth > 0) {
      int at = -1;
      for (int i = 0; i < depth; i++) {
        at = key.indexOf('/', at + 1);
        if (at < 0) {
          break;
        }
      }
      if (at >= 0) {
        key = key.substring(0, at + 1);
      }
    }
    return new S3Prefix(bucket, key);
  }

  /** Whether {@code outer} grants every key {@code inner} grants. */
  static boolean covers(S3Prefix outer, S3Prefix inner) {
    List<S3Prefix> one = List.of(outer);
    String uri = inner.toString();
    if (inner.key().isEmpty() || inner.key().endsWith("/")) {
      return S3Prefixes.covered(one, inner.key().isEmpty() ? uri + "/" : uri, true);
    }
    return S3Prefixes.covered(one, uri, false) && S3Prefixes.covered(one, uri + "/", true);
  }

  /**
   * The fewest of {@code prefixes} that cover all of them, in first-seen order: those no other of
   * them covers (covering is the inclusion of what they grant, so each of the others lies inside
   * one of these). Only a prefix at one of a prefix's segment boundaries can cover it, so each is
   * compared with those few, not with every other: comparing with every prefix kept so far took
   * 112 s for a role's 40,000 dated folders.
   */
  static List<S3Prefix> merge(Collection<S3Prefix> prefixes) {
    Set<S3Prefix> all = new HashSet<>(prefixes);
    Set<S3Prefix> kept = new LinkedHashSet<>();
    for (S3Prefix candidate : prefixes) {
      if (!kept.contains(candidate) && !coveredByAnother(candidate, all)) {
        kept.add(candidate);
      }
    }
    return new ArrayList<>(kept);
  }

  /** Whether one of {@code all} other than {@code inner} covers it. */
  private static boolean coveredByAnother(S3Prefix inner, Set<S3Prefix> all) {
    for (S3Prefix outer : S3Prefixes.above(inner.bucket(), inner.key())) {
      if (all.contains(outer) && covers(outer, inner)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Those of {@code granted} that grant every key a location touches ({@link S3Prefixes#covered}
   * of each alone), found among those that may ({@link S3Prefixes#mayGrant}).
   */
  static List<S3Prefix> covering(Set<S3Prefix> granted, String uri, boolean keyPrefix) {
    List<S3Prefix> covering = new ArrayList<>(1);
    for (S3Prefix candidate : S3Prefixes.mayGrant(uri)) {
      if (granted.contains(candidate) && S3Prefixes.covered(List.of(candidate), uri, keyPrefix)) {
        covering.add(candidate);
      }
    }
    return covering;
  }
}
