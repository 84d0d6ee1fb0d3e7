package dev.iamguard.policy.iam;

import java.util.ArrayList;
import java.util.List;

/**
 * The ARN patterns of a {@code Resource} or {@code NotResource} element, with their policy
 * variables. Patterns without variables are compiled once; the others are resolved for each
 * request, and one whose variable the guard cannot know only says "perhaps" (see
 * {@link PolicyText}).
 */
final class ResourceElement {

  private final List<PolicyText> texts;
  /** The patterns without variables, compiled once, wildcards within a colon-separated segment. */
  private final PatternList fixed;
  /** The same with wildcards spanning colons; {@link #fixed} itself when no wildcard could. */
  private final PatternList fixedLoose;
  /** The texts of the patterns without variables whose wildcards read differently across a colon. */
  private final List<String> colonSensitive;
  /** The patterns with variables. */
  private final List<PolicyText> variable;
  /** What {@link #resolve} answers when there are no variables: built once. */
  private final Resolved fixedResolved;
  /** Whether the element is a NotResource, which a pattern matching nothing would widen. */
  private final boolean notResource;

  ResourceElement(List<PolicyText> texts, boolean notResource) {
    this.texts = List.copyOf(texts);
    this.notResource = notResource;
    List<IamPattern> fixedPatterns = new ArrayList<>();
    List<IamPattern> loosePatterns = new ArrayList<>();
    List<String> sensitive = new ArrayList<>();
    List<PolicyText> withVariables = new ArrayList<>();
    for (PolicyText text : texts) {
      if (text.hasVariables()) {
        withVariables.add(text);
      } else {
        int[] symbols = text.resolve(RequestContext.UNKNOWN_ALL).symbols();
        fixedPatterns.add(IamPattern.ofSymbols(text.text(), symbols, false, true));
        loosePatterns.add(IamPattern.ofSymbols(text.text(), symbols, false, false));
        if (wildcardBeforeEnd(symbols)) {
          sensitive.add(text.text());
        }
      }
    }
    this.fixed = new PatternList(fixedPatterns);
    this.fixedLoose = sensitive.isEmpty() ? fixed : new PatternList(loosePatterns);
    this.fixedResolved = new Resolved(fixed, fixedLoose);
    this.colonSensitive = List.copyOf(sensitive);
    this.variable = List.copyOf(withVariables);
  }

  /**
   * Whether a wildcard other than a final star is written: the IAM reference keeps wildcards
   * "within the individual segments of an ARN (the parts separated by colons)", lets a star that
   * ends a segment "expand to match beyond the colon boundaries", and leaves open whether the
   * resource part ({@code bkt/2024-01-01T00:00:00/x}) is one segment. Such a pattern surely
   * matches what it matches within segments and perhaps what it matches across colons.
   */
  private static boolean wildcardBeforeEnd(int[] symbols) {
    for (int i = 0; i < symbols.length; i++) {
      if (symbols[i] == IamPattern.ONE || symbols[i] == IamPattern.STAR && i < symbols.length - 1) {
        return true;
      }
    }
    return false;
  }

  List<String> texts() {
    return texts.stream().map(PolicyText::text).toList();
  }

  List<PolicyText> policyTexts() {
    return texts;
  }

  /** The patterns without variables whose match may hang on how a wildcard reads a colon. */
  List<String> colonSensitive() {
    return colonSensitive;
  }

  /**
   * The patterns for this request: those that surely match (known values, wildcards within
   * segments), and an upper bound of what may match (unknown variables as any run, wildcards
   * across colons).
   */
  private record Resolved(PatternList sure, PatternList possible) {
    /** Whether the upper bound is the sure list itself: then a second question would answer the same. */
    boolean oneList() {
      return possible == sure;
    }
  }

  private Resolved resolve(RequestContext context) {
    if (variable.isEmpty()) {
      return fixedResolved;
    }
    List<IamPattern> sure = new ArrayList<>(fixed.patterns());
    List<IamPattern> possible = new ArrayList<>(fixedLoose.patterns());
    for (PolicyText text : variable) {
      PolicyText.Resolved r = text.resolve(context);
      if (r.exact() == Tri.FALSE) {
        // a variable without a value: IAM may find the statement invalid or the pattern matching
        // nothing; in a NotResource the second would exclude nothing, so there it only says perhaps
        // (probe 23a F1: an Allow with NotResource "x/${aws:username}/*" granted every resource)
        if (notResource) {
          possible.add(IamPattern.ofSymbols(text.text(), new int[] {IamPattern.ANY}, false, false));
        }
        continue;
      }
      if (r.exact() == Tri.TRUE) {
        sure.add(IamPattern.ofSymbols(text.text(), r.symbols(), false, true));
      } else if (notResource) {
        // a key the guard cannot know may also be one the request does not carry, which leaves the
        // statement perhaps invalid (as above): a NotResource then says perhaps for every resource
        // (probe 23e F7: an Allow with NotResource ".../${aws:PrincipalTag/team}/*" granted)
        possible.add(IamPattern.ofSymbols(text.text(), new int[] {IamPattern.ANY}, false, false));
      }
      possible.add(IamPattern.ofSymbols(text.text(), r.symbols(), false, false));
    }
    return new Resolved(new PatternList(sure), new PatternList(possible));
  }

  Tri matches(String resource, RequestContext context) {
    Resolved r = resolve(context);
    return r.sure().matches(resource) ? Tri.TRUE
        : !r.oneList() && r.possible().matches(resource) ? Tri.UNKNOWN : Tri.FALSE;
  }

  /**
   * Whether the patterns may match {@code resource} in some request context: the upper bound of
   * {@link #matches} when nothing is known (every variable any run, wildcards across colons), so
   * never false where {@link #matches} is true or unknown, whatever the context.
   */
  boolean mayMatchInSomeContext(String resource) {
    return resolve(RequestContext.UNKNOWN_ALL).possible().matches(resource);
  }

  /** Whether the patterns match every resource starting with {@code prefix}. */
  Tri coversAllStartingWith(String prefix, RequestContext context) {
    Resolved r = resolve(context);
    return r.sure().coversAllStartingWith(prefix) ? Tri.TRUE
        : !r.oneList() && r.possible().coversAllStartingWith(prefix) ? Tri.UNKNOWN : Tri.FALSE;
  }

  /** Whether the patterns match at least one resource starting with {@code prefix}. */
  Tri matchesSomeStartingWith(String prefix, RequestContext context) {
    Resolved r = resolve(context);
    return r.sure().matchesSomeStartingWith(prefix) ? Tri.TRUE
        : !r.oneList() && r.possible().matchesSomeStartingWith(prefix) ? Tri.UNKNOWN : Tri.FALSE;
  }
}
