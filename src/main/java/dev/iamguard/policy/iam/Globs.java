package dev.iamguard.policy.iam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A set of {@link Wildcards} patterns asked whether any matches a text: the patterns without a
 * wildcard are looked up, only those with one are compared. Equal, for every text, to asking each
 * pattern with {@link Wildcards#matches} (or {@link Wildcards#matchesIgnoringCase}): a pattern
 * without {@code *} or {@code ?} matches only the text it spells (ignoring case, char for char as
 * {@link Character#toLowerCase(char)} reads it).
 */
public final class Globs {
  private final Set<String> exact;
  private final String[] wild;
  private final boolean ignoreCase;

  private Globs(Set<String> exact, String[] wild, boolean ignoreCase) {
    this.exact = exact;
    this.wild = wild;
    this.ignoreCase = ignoreCase;
  }

  /** {@code patterns}, matched with or without case. */
  public static Globs of(Collection<String> patterns, boolean ignoreCase) {
    Set<String> exact = new HashSet<>();
    List<String> wild = new ArrayList<>();
    for (String pattern : patterns) {
      if (pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0) {
        wild.add(pattern);
      } else {
        exact.add(ignoreCase ? lowerEachChar(pattern) : pattern);
      }
    }
    return new Globs(exact, wild.toArray(new String[0]), ignoreCase);
  }

  /** Whether any of the patterns matches {@code text}. */
  public boolean matches(String text) {
    if (exact.contains(ignoreCase ? lowerEachChar(text) : text)) {
      return true;
    }
    for (String pattern : wild) {
      if (ignoreCase ? Wildcards.matchesIgnoringCase(pattern, text) : Wildcards.matches(pattern, text)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Each char as {@link Character#toLowerCase(char)} maps it, which is how {@link Wildcards} compares
   * ignoring case ({@code String.toLowerCase} maps some chars to two, and would differ).
   */
  private static String lowerEachChar(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = Character.toLowerCase(chars[i]);
    }
    return new String(chars);
  }
}
