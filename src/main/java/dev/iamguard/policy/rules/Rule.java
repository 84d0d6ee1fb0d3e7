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
 * another rule having run. Its constructor declares its id and the commands it judges;
 * {@link RuleBook} says in which phase it runs and asks it only about those commands.
 */
abstract class Rule {
  private final RuleId id;
  private final Set<CommandKind> commands;

  Rule(RuleId id, Set<CommandKind> commands) {
    this.id = id;
    this.commands = commands.isEmpty() ? EnumSet.noneOf(CommandKind.class) : EnumSet.copyOf(commands);
  }

  /** The one rule id this rule reports; no other rule reports it. */
  final RuleId id() {
    return id;
  }

  /** The commands this rule judges; it is never asked about another. */
  final Set<CommandKind> commands() {
    return commands;
  }

  /** The findings on the statement, each of {@link #id()}; empty when the rule has nothing to say. */
  abstract List<Finding> evaluate(Inspection in);
}
