package dev.iamguard.policy.yaml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;

/**
 * Bounds what aliases ({@code *name}) make of a document, as the parser's events stream by. An
 * alias costs nothing to read but every reader walks its anchor's value again at each alias, so
 * a few hundred of them nested ten deep (billion laughs) stand for 10^9 values. The engine's own
 * bound, 50 aliases of lists or mappings, refused an ordinary registry whose 52 roles each
 * {@code allow: *common}, and said so without a line; so the engine's bound is lifted and these
 * two take its place: at most {@link #MAX_ALIASES} aliases, and at most
 * {@link #MAX_REPEATED_VALUES} values repeated by them in all (each alias counts every value its
 * anchor holds, aliases within it expanded). Either refusal names the alias's line.
 */
final class AliasBudget {

  /** Aliases in one document: one per role of a 10,000-role registry and ten times more. */
  static final int MAX_ALIASES = 100_000;

  /**
   * Values that aliases repeat in one document: far more than a registry sharing a policy among
   * thousands of roles repeats, far fewer than a bomb, and few enough that walking them is quick.
   */
  static final long MAX_REPEATED_VALUES = 10_000_000L;

  /** Thrown through the composer when a bound is passed; {@code line} is 1-based, 0 when unknown. */
  static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    Exceeded(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }

    YamlTree.SyntaxError error() {
      return new YamlTree.SyntaxError(line, getMessage(), true);
    }
  }

  /** Values each anchor's node stands for, aliases within it expanded. */
  private final Map<Anchor, Long> sizes = new HashMap<>();
  /** For each list or mapping still open: its anchor (if any) and the values it holds so far. */
  private final Deque<long[]> open = new ArrayDeque<>();
  private final Deque<Optional<Anchor>> openAnchors = new ArrayDeque<>();
  private int aliases;
  private long repeated;

  /** Counts {@code event}; throws {@link Exceeded} at the alias that passes a bound. */
  void see(Event event) {
    if (event instanceof AliasEvent alias) {
      int line = event.getStartMark().map(m -> m.getLine() + 1).orElse(0);
      if (++aliases > MAX_ALIASES) {
        throw new Exceeded(line, "more than " + MAX_ALIASES + " aliases (*" + alias.getAlias()
            + " is one of them); a registry or an IAM policy needs far fewer: write the values out, or is"
            + " this the right file?");
      }
      // an alias of a list or mapping still open (a recursive node) stands for one value here: the
      // readers refuse or stop at such a node, and its size is not known yet
      long size = sizes.getOrDefault(alias.getAlias(), 1L);
      repeated += size;
      if (repeated > MAX_REPEATED_VALUES) {
        throw new Exceeded(line, "the aliases repeat more than " + MAX_REPEATED_VALUES + " values in all (*"
            + alias.getAlias() + " here repeats " + size + "), far more than any registry or IAM policy needs:"
            + " aliases nested within aliases multiply (a YAML bomb?)");
      }
      add(size);
    } else if (event instanceof ScalarEvent scalar) {
      scalar.getAnchor().ifPresent(a -> sizes.put(a, 1L));
      add(1);
    } else if (event instanceof CollectionStartEvent) {
      open.push(new long[] {1});
      openAnchors.push(((NodeEvent) event).getAnchor());
    } else if (event instanceof CollectionEndEvent && !open.isEmpty()) {
      long size = open.pop()[0];
      openAnchors.pop().ifPresent(a -> sizes.put(a, size));
      add(size);
    }
  }

  private void add(long values) {
    if (!open.isEmpty()) {
      open.peek()[0] = Math.min(open.peek()[0] + values, Long.MAX_VALUE / 4);
    }
  }
}
