package dev.iamguard.policy.rules;

import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.rules.Resolution.Chain;
import java.util.Objects;

/**
 * What one registry makes of the role chains statements name, remembered across statements: the
 * chain an IAM_ROLE text resolves to, and the trust of its hops for a cluster and database user.
 * ETL statements name a handful of chains again and again, and both are worked out from the
 * registry alone (ARNs parsed, roles looked up, trust documents evaluated), which is a fifth of
 * what deciding on a COPY costs. One memo per {@link StatementInspector}, so per registry
 * version: a reloaded registry starts with an empty one.
 *
 * <p>Bounded (a fixed number of slots, each keeping the last entry that fell into it) and shared
 * between threads without locks: an entry is immutable, so a thread sees a whole entry or none,
 * and a miss only means working the answer out again. A remembered answer is always checked
 * against its whole key, never against a hash alone.
 */
final class ChainMemo {
  private static final int SLOTS = 64;
  /** Longer role texts are not kept: a chain holds at most ten ARNs of a few dozen characters. */
  private static final int LONGEST_TEXT = 1024;

  private record Resolved(String text, Chain chain) {}

  private record Trusted(Chain chain, ClusterConfig cluster, String user, TrustHops hops) {}

  private final Resolved[] resolved = new Resolved[SLOTS];
  private final Trusted[] trusted = new Trusted[SLOTS];

  /** The chain the IAM_ROLE text {@code text} resolved to before, or null. */
  Chain chain(String text) {
    Resolved entry = resolved[slot(text)];
    return entry != null && entry.text.equals(text) ? entry.chain : null;
  }

  /** Remembers that {@code text}, one IAM_ROLE literal whose every element is a role ARN, resolves to {@code chain}. */
  void chain(String text, Chain chain) {
    if (text.length() <= LONGEST_TEXT) {
      resolved[slot(text)] = new Resolved(text, chain);
    }
  }

  /**
   * The trust of the hops of {@code chain} (an instance this memo handed out, with no CATALOG_ROLE
   * chain beside it) for {@code cluster} and {@code user} worked out before, or null.
   */
  TrustHops trust(Chain chain, ClusterConfig cluster, String user) {
    Trusted entry = trusted[slot(chain)];
    return entry != null && entry.chain == chain && entry.cluster == cluster && Objects.equals(entry.user, user)
        ? entry.hops : null;
  }

  /** Remembers {@code hops}, worked out for {@code chain} (as this memo handed it out), {@code cluster} and {@code user}. */
  void trust(Chain chain, ClusterConfig cluster, String user, TrustHops hops) {
    trusted[slot(chain)] = new Trusted(chain, cluster, user, hops);
  }

  /** A slot from the text's length and a few of its characters: hashing all of a fresh string costs more than the lookup saves. */
  private static int slot(String text) {
    int n = text.length();
    int h = n;
    if (n > 0) {
      h = h * 31 + text.charAt(n - 1);
      h = h * 31 + text.charAt(n / 2);
      h = h * 31 + text.charAt(n / 3);
      h = h * 31 + text.charAt((n * 3) / 4);
    }
    return (h ^ h >>> 7) & (SLOTS - 1);
  }

  private static int slot(Chain chain) {
    int h = System.identityHashCode(chain);
    return (h ^ h >>> 7) & (SLOTS - 1);
  }
}
