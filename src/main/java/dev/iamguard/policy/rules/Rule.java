package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.CommandKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One check of the guard, named for what it denies: a pure function of the statement's
 * {@link Inspection} (statement, session, registry and the resolved auth clause) that returns the
 * findings of its one {@link RuleId}. A rule never changes what it is given and never depends on
 * another rule having run. Its constructor declares its id, the commands it judges and the
 * {@link Fact}s a statement must have for it to have anything to say; {@link RuleBook} says in which
 * phase it runs and asks it only about such statements.
 */
abstract class Rule {
  private final RuleId id;
  private final Set<CommandKind> commands;
  /** The bits of the facts required ({@link Fact#bit}). */
  private final int requires;

  Rule(RuleId id, Set<CommandKind> commands, Fact... requires) {
    this.id = id;
    this.commands = commands.isEmpty() ? EnumSet.noneOf(CommandKind.class) : EnumSet.copyOf(commands);
    int bits = 0;
    for (Fact fact : requires) {
      bits |= Fact.bit(fact);
    }
    this.requires = bits;
  }

  /** The one rule id this rule reports; no other rule reports it. */
  final RuleId id() {
    return id;
  }

  /** The commands this rule judges; it is never asked about another. */
  final Set<CommandKind> commands() {
    return commands;
  }

  /** Whether a statement with {@code facts} ({@link Fact#of}) has every fact this rule requires. */
  final boolean appliesTo(int facts) {
    return (facts & requires) == requires;
  }

  /** The findings on the statement, each of {@link #id()}; empty when the rule has nothing to say. */
  abstract List<Finding> evaluate(Inspection in);
}
