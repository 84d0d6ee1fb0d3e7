package dev.iamguard.policy.iam;

import java.util.BitSet;
import java.util.List;

/**
 * The patterns of one {@code Action} or {@code Resource} element, matched as a union.
 *
 * <p>{@link #coversAllStartingWith} decides whether every text that starts with a prefix
 * matches at least one pattern. After reading the prefix each pattern is left in a set of
 * states; what may follow is matched by the union of the pattern suffixes from those states.
 * A suffix holding a literal character cannot match a continuation made of a character that
 * appears in no pattern, so only literal-free suffixes ({@code *} and {@code ?} alone) can
 * cover every continuation, and they match by length alone: a suffix with k {@code ?} and a
 * star matches every length from k on, one without a star exactly length k. The union covers
 * everything exactly when some starred suffix exists and the lengths below its smallest k are
 * each matched exactly.
 */
record PatternList(List<IamPattern> patterns) {

  PatternList {
    patterns = List.copyOf(patterns);
  }

  static PatternList of(List<String> texts, boolean ignoreCase) {
    return new PatternList(texts.stream().map(t -> IamPattern.of(t, ignoreCase)).toList());
  }

  boolean matches(String text) {
    for (IamPattern pattern : patterns) {
      if (pattern.matches(text)) {
        return true;
      }
    }
    return false;
  }

  /** Whether at least one text starting with {@code prefix} matches some pattern. */
  boolean matchesSomeStartingWith(String prefix) {
    for (IamPattern pattern : patterns) {
      if (pattern.matchesSomeStartingWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether every text starting with {@code prefix} matches some pattern (see class doc). */
  boolean coversAllStartingWith(String prefix) {
    int shortestOpenEnded = Integer.MAX_VALUE;
    BitSet exactLengths = new BitSet();
    for (IamPattern pattern : patterns) {
      BitSet states = pattern.statesAfter(prefix);
      for (int i = states.nextSetBit(0); i >= 0; i = states.nextSetBit(i + 1)) {
        if (!pattern.wildOnlyFrom(i)) {
          continue;
        }
        if (pattern.colonBounded()) {
          // only a final star matches a continuation holding ':', and every length has one
          if (pattern.singlesFrom(i) == 0 && pattern.starredFrom(i)) {
            return true;
          }
          continue;
        }
        if (pattern.starredFrom(i)) {
          shortestOpenEnded = Math.min(shortestOpenEnded, pattern.singlesFrom(i));
        } else {
          exactLengths.set(pattern.singlesFrom(i));
        }
      }
    }
    return shortestOpenEnded != Integer.MAX_VALUE
        && exactLengths.nextClearBit(0) >= shortestOpenEnded;
  }

  List<String> texts() {
    return patterns.stream().map(IamPattern::text).toList();
  }
}
