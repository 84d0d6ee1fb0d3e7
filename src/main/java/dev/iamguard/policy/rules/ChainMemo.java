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

  /**
   * An IAM_ROLE text and the chain it resolved to; {@code rewrite} is the text the guard sends for
   * it when an element was an alias or chain name (every element an ARN: null).
   */
  record Resolved(String text, Chain chain, String rewrite) {}

  /** A cluster's default role as a chain, and the text {@code IAM_ROLE DEFAULT} is rewritten to. */
  record Default(ClusterConfig cluster, Chain chain, String rewrite) {}

  private record Trusted(Chain chain, ClusterConfig cluster, String user, TrustHops hops) {}

  private final Resolved[] resolved = new Resolved[SLOTS];
  private final Default[] defaults = new Default[8];
  private final Trusted[] trusted = new Trusted[SLOTS];

  /** What the IAM_ROLE text {@code text} resolved to before, or null. */
  Resolved chain(String text) {
    Resolved entry = resolved[slot(text)];
    return entry != null && entry.text.equals(text) ? entry : null;
  }

  /**
   * Remembers that {@code text}, one IAM_ROLE literal whose every element is a role ARN, an alias
   * or a chain name, resolves to {@code chain} (and is rewritten to {@code rewrite} when it names one).
   */
  void chain(String text, Chain chain, String rewrite) {
    if (text.length() <= LONGEST_TEXT) {
      resolved[slot(text)] = new Resolved(text, chain, rewrite);
    }
  }

  /** {@code cluster}'s default role as worked out before, or null. */
  Default defaultChain(ClusterConfig cluster) {
    Default entry = defaults[System.identityHashCode(cluster) & (defaults.length - 1)];
    return entry != null && entry.cluster == cluster ? entry : null;
  }

  void defaultChain(Default entry) {
    defaults[System.identityHashCode(entry.cluster) & (defaults.length - 1)] = entry;
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
