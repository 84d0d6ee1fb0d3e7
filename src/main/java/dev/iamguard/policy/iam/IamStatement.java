package dev.iamguard.policy.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One statement of an IAM policy document, kept with where it was written so that a denial can
 * name it. Built by {@link IamPolicy#parse}. A statement whose actions cannot match any action the
 * guard evaluates ({@link RedshiftRequests#EVALUATED_ACTIONS}) is {@link #skipped()}: it is kept
 * as written, with what would be wrong in it, and never evaluated.
 */
public final class IamStatement {

  /**
   * One operator and key of the statement's Condition block.
   *
   * @param operator e.g. {@code StringNotEqualsIfExists}
   * @param key e.g. {@code aws:SourceVpce}
   * @param values the values as written
   */
  public record ConditionView(String operator, String key, List<String> values) {}

  private final int index;
  private final Optional<String> sid;
  private final int line;
  private final IamEffect effect;
  private final Optional<StatementPrincipal> principal;
  private final boolean notPrincipal;
  private final PatternList actions;
  private final boolean notAction;
  private final Optional<ResourceElement> resources;
  private final boolean notResource;
  private final List<IamCondition> conditions;
  private final boolean skipped;
  private final List<String> skippedProblems;

  IamStatement(int index, Optional<String> sid, int line, IamEffect effect,
      Optional<StatementPrincipal> principal, boolean notPrincipal, PatternList actions, boolean notAction,
      Optional<ResourceElement> resources, boolean notResource, List<IamCondition> conditions,
      boolean skipped, List<String> skippedProblems) {
    this.index = index;
    this.sid = sid;
    this.line = line;
    this.effect = effect;
    this.principal = principal;
    this.notPrincipal = notPrincipal;
    this.actions = actions;
    this.notAction = notAction;
    this.resources = resources;
    this.notResource = notResource;
    this.conditions = List.copyOf(conditions);
    this.skipped = skipped;
    this.skippedProblems = List.copyOf(skippedProblems);
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
    return resources.map(ResourceElement::texts).orElse(List.of());
  }

  public boolean notResource() {
    return notResource;
  }

  /**
   * The principals of {@code Principal} (or {@code NotPrincipal}) as written, each with its kind:
   * {@code *}, {@code AWS:arn:aws:iam::123456789012:root}, {@code Service:redshift.amazonaws.com},
   * {@code Federated:...}, {@code CanonicalUser:...}; empty in permission policies.
   */
  public List<String> principals() {
    return principal.map(StatementPrincipal::texts).orElse(List.of());
  }

  public boolean notPrincipal() {
    return notPrincipal;
  }

  /** The Condition block, one entry per operator and key. */
  public List<ConditionView> conditions() {
    return conditions.stream().map(c -> new ConditionView(c.operator().name(), c.key(), c.texts())).toList();
  }

  /** True when the statement has a Condition block. */
  public boolean hasConditions() {
    return !conditions.isEmpty();
  }

  /** Whether its Action (or NotAction) element covers {@code action}, conditions aside. */
  public boolean coversAction(String action) {
    return actions.matches(action) != notAction;
  }

  /** Whether it covers no action the guard evaluates, so it is never evaluated. */
  public boolean skipped() {
    return skipped;
  }

  /**
   * What would be wrong in a skipped statement (an unknown operator, a malformed value, ...), each
   * a full message with source, statement and line; a statement the guard evaluates cannot load
   * with such problems.
   */
  public List<String> skippedProblems() {
    return skippedProblems;
  }

  boolean hasPrincipal() {
    return principal.isPresent();
  }

  boolean hasResource() {
    return resources.isPresent();
  }

  List<IamCondition> conditionList() {
    return conditions;
  }

  /** The action matches, whatever the conditions say. */
  boolean matchesActionIgnoringConditions(String action) {
    return !skipped && coversAction(action);
  }

  /**
   * Whether this statement may allow {@code action} on {@code resource} in some request context:
   * an Allow that covers the action and whose Resource may match (a NotResource may exclude it or
   * not), conditions aside. False only where it allows the request in no context.
   */
  boolean mayAllowInSomeContext(String action, String resource) {
    return effect == IamEffect.ALLOW && matchesActionIgnoringConditions(action)
        && (notResource || resources.map(r -> r.mayMatchInSomeContext(resource)).orElse(false));
  }

  /** Whether the principal element applies to the caller (a Principal naming it, a NotPrincipal not). */
  Tri principalApplies(TrustRequest.Caller caller) {
    // asked only of trust and bucket policies, whose every statement the reader made name principals
    StatementPrincipal p = principal.orElseThrow(() -> new IllegalStateException(this + " names no principal"));
    return notPrincipal ? p.appliesAsNot(caller) : p.names(caller);
  }

  /** Whether the resource element applies to the request's resource (or prefix, as its effect needs). */
  Tri resourceApplies(IamRequest request) {
    // asked only of permission and bucket policies, whose every statement the reader made name resources
    ResourceElement r = resources.orElseThrow(() -> new IllegalStateException(this + " names no resource"));
    RequestContext context = request.context();
    if (!request.resourcePrefix()) {
      Tri matches = r.matches(request.resource(), context);
      return notResource ? matches.not() : matches;
    }
    // an Allow must cover every resource with the prefix, a Deny applies when it covers one
    if (effect == IamEffect.ALLOW) {
      return notResource ? r.matchesSomeStartingWith(request.resource(), context).not()
          : r.coversAllStartingWith(request.resource(), context);
    }
    return notResource ? r.coversAllStartingWith(request.resource(), context).not()
        : r.matchesSomeStartingWith(request.resource(), context);
  }

  /** The conditions, AND'ed: false as soon as one is surely false. */
  Tri conditionsHold(RequestContext context) {
    Tri all = Tri.TRUE;
    for (IamCondition condition : conditions) {
      all = all.and(condition.evaluate(context));
      if (all == Tri.FALSE) {
        return all;
      }
    }
    return all;
  }

  /** The parts that made this statement unknown for the request, as conservative notes. */
  void explainUnknown(String source, TrustRequest.Caller caller, IamRequest request, RequestContext context,
      List<Conservative> out) {
    if (caller instanceof TrustRequest.RoleCaller role && principalApplies(caller) == Tri.UNKNOWN) {
      String named = principal.get().perhapsNamed(role.role()).map(Object::toString).orElse("a session");
      out.add(note(source, notPrincipal ? "NotPrincipal" : "Principal", named));
    }
    if (request != null && resources.isPresent() && resourceApplies(request) == Tri.UNKNOWN) {
      String element = notResource ? "NotResource" : "Resource";
      int before = out.size();
      for (PolicyText text : resources.get().policyTexts()) {
        boolean unresolved = notResource && text.hasVariables() && text.resolve(context).exact() == Tri.FALSE;
        for (String key : text.variableKeys()) {
          if (context.knowledge(key) == RequestContext.Knowledge.UNKNOWN) {
            out.add(note(source, element, key, false));
          } else if (unresolved && !resolvable(key, context)) {
            out.add(note(source, element, key, true));
          }
        }
      }
      if (out.size() == before) { // no unknown variable: a wildcard that may or may not span a colon
        resources.get().colonSensitive().forEach(pattern -> out.add(note(source, element, pattern)));
      }
    }
    for (IamCondition condition : conditions) {
      if (condition.evaluate(context) != Tri.UNKNOWN) {
        continue;
      }
      if (context.knowledge(condition.key()) == RequestContext.Knowledge.UNKNOWN) {
        out.add(note(source, condition.operator().name(), condition.key()));
      } else if (condition.severalValuesWithoutSet(context)) {
        out.add(new Conservative(source, label(), line, effect, condition.operator().name(), condition.key(), false,
            true));
      } else {
        for (String key : condition.variableKeys()) {
          if (context.knowledge(key) == RequestContext.Knowledge.UNKNOWN) {
            out.add(note(source, condition.operator().name(), key, false));
          } else if (!resolvable(key, context)) {
            out.add(note(source, condition.operator().name(), key, true));
          }
        }
      }
    }
  }

  private Conservative note(String source, String operator, String key) {
    return note(source, operator, key, false);
  }

  private Conservative note(String source, String operator, String key, boolean unresolved) {
    return new Conservative(source, label(), line, effect, operator, key, unresolved, false);
  }

  /** Whether a policy variable naming {@code key} takes the request's one value. */
  private static boolean resolvable(String key, RequestContext context) {
    return context.knowledge(key) == RequestContext.Knowledge.PRESENT && context.values(key).size() == 1;
  }

  /** The condition keys (and keys of variables) of its conditions, with their operators. */
  List<String[]> conditionKeys() {
    List<String[]> keys = new ArrayList<>();
    for (IamCondition c : conditions) {
      keys.add(new String[] {c.operator().name(), c.key()});
      for (String v : c.variableKeys()) {
        keys.add(new String[] {c.operator().name(), v});
      }
    }
    resources.ifPresent(r -> r.policyTexts().forEach(t -> t.variableKeys()
        .forEach(k -> keys.add(new String[] {notResource ? "NotResource" : "Resource", k}))));
    return keys;
  }

  @Override
  public String toString() {
    return label() + " (line " + line + ")";
  }
}
