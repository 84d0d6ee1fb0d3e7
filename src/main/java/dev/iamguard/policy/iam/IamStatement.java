package dev.iamguard.policy.iam;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One statement of an IAM policy document, kept with where it was written so that a denial can
 * name it. Built by {@link IamPolicy#parse}; only supported constructs ever reach this class.
 */
public final class IamStatement {

  private final int index;
  private final Optional<String> sid;
  private final int line;
  private final IamEffect effect;
  private final Optional<StatementPrincipal> principal;
  private final PatternList actions;
  private final boolean notAction;
  private final Optional<PatternList> resources;
  private final boolean notResource;
  private final List<IamCondition> conditions;

  IamStatement(int index, Optional<String> sid, int line, IamEffect effect,
      Optional<StatementPrincipal> principal, PatternList actions, boolean notAction,
      Optional<PatternList> resources, boolean notResource, List<IamCondition> conditions) {
    this.index = index;
    this.sid = sid;
    this.line = line;
    this.effect = effect;
    this.principal = principal;
    this.actions = actions;
    this.notAction = notAction;
    this.resources = resources;
    this.notResource = notResource;
    this.conditions = List.copyOf(conditions);
  }

  /** The 1-based position in the {@code Statement} list. */
  public int index() {
    return index;
  }

  public Optional<String> sid() {
    return sid;
  }

  /** The 1-based line where the statement starts in its source. */
  public int line() {
    return line;
  }

  /** {@link IamEffect#ALLOW} or {@link IamEffect#DENY}. */
  public IamEffect effect() {
    return effect;
  }

  /** {@code statement "Sid"} when the statement has a Sid, else {@code statement 2}. */
  public String label() {
    return sid.map(s -> "statement \"" + s + "\"").orElse("statement " + index);
  }

  /** The action patterns as written; they exclude rather than include when {@link #notAction}. */
  public List<String> actions() {
    return actions.texts();
  }

  public boolean notAction() {
    return notAction;
  }

  /** The resource patterns as written (empty in trust policies). */
  public List<String> resources() {
    return resources.map(PatternList::texts).orElse(List.of());
  }

  public boolean notResource() {
    return notResource;
  }

  boolean hasPrincipal() {
    return principal.isPresent();
  }

  /** Action and conditions match; resources and principal are checked separately. */
  boolean matchesAction(String action, Map<String, String> context) {
    if (actions.matches(action) == notAction) {
      return false;
    }
    for (IamCondition condition : conditions) {
      if (!condition.holds(context)) {
        return false;
      }
    }
    return true;
  }

  /** True when the statement has a Condition block (an ExternalId restriction). */
  public boolean hasConditions() {
    return !conditions.isEmpty();
  }

  /** The action matches, whatever the conditions say. */
  boolean matchesActionIgnoringConditions(String action) {
    return actions.matches(action) != notAction;
  }

  boolean matchesPrincipal(TrustRequest.Caller caller) {
    return principal.map(p -> p.matches(caller)).orElse(false);
  }

  /** Whether the statement's resource element applies to {@code resource}. */
  boolean coversResource(String resource) {
    return resources.map(r -> r.matches(resource) != notResource).orElse(true);
  }

  /** Whether it applies to every resource starting with {@code prefix}. */
  boolean coversEveryResourceStartingWith(String prefix) {
    return resources.map(r -> notResource
        ? !r.matchesSomeStartingWith(prefix)
        : r.coversAllStartingWith(prefix)).orElse(true);
  }

  /** Whether it applies to at least one resource starting with {@code prefix}. */
  boolean coversSomeResourceStartingWith(String prefix) {
    return resources.map(r -> notResource
        ? !r.coversAllStartingWith(prefix)
        : r.matchesSomeStartingWith(prefix)).orElse(true);
  }

  @Override
  public String toString() {
    return label() + " (line " + line + ")";
  }
}
