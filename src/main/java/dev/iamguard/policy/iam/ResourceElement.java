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
  /** The patterns without variables, compiled once. */
  private final PatternList fixed;
  /** The patterns with variables. */
  private final List<PolicyText> variable;

  ResourceElement(List<PolicyText> texts) {
    this.texts = List.copyOf(texts);
    List<IamPattern> fixedPatterns = new ArrayList<>();
    List<PolicyText> withVariables = new ArrayList<>();
    for (PolicyText text : texts) {
      if (text.hasVariables()) {
        withVariables.add(text);
      } else {
        fixedPatterns.add(IamPattern.ofSymbols(text.text(), text.resolve(RequestContext.UNKNOWN_ALL).symbols(),
            false, true));
      }
    }
    this.fixed = new PatternList(fixedPatterns);
    this.variable = List.copyOf(withVariables);
  }

  List<String> texts() {
    return texts.stream().map(PolicyText::text).toList();
  }

  List<PolicyText> policyTexts() {
    return texts;
  }

  /** The patterns for this request: the exact ones, and the upper bounds of unknown ones. */
  private record Resolved(PatternList exact, PatternList perhaps) {}

  private Resolved resolve(RequestContext context) {
    List<IamPattern> exact = new ArrayList<>(fixed.patterns());
    List<IamPattern> perhaps = new ArrayList<>();
    for (PolicyText text : variable) {
      PolicyText.Resolved r = text.resolve(context);
      if (r.exact() == Tri.FALSE) {
        continue; // a variable without a value: the pattern matches nothing
      }
      IamPattern pattern = IamPattern.ofSymbols(text.text(), r.symbols(), false, true);
      (r.exact() == Tri.TRUE ? exact : perhaps).add(pattern);
    }
    return new Resolved(new PatternList(exact), new PatternList(perhaps));
  }

  Tri matches(String resource, RequestContext context) {
    if (variable.isEmpty()) {
      return Tri.of(fixed.matches(resource));
    }
    Resolved r = resolve(context);
    return r.exact().matches(resource) ? Tri.TRUE : r.perhaps().matches(resource) ? Tri.UNKNOWN : Tri.FALSE;
  }

  /** Whether the patterns match every resource starting with {@code prefix}. */
  Tri coversAllStartingWith(String prefix, RequestContext context) {
    if (variable.isEmpty()) {
      return Tri.of(fixed.coversAllStartingWith(prefix));
    }
    Resolved r = resolve(context);
    if (r.exact().coversAllStartingWith(prefix)) {
      return Tri.TRUE;
    }
    List<IamPattern> all = new ArrayList<>(r.exact().patterns());
    all.addAll(r.perhaps().patterns());
    return new PatternList(all).coversAllStartingWith(prefix) ? Tri.UNKNOWN : Tri.FALSE;
  }

  /** Whether the patterns match at least one resource starting with {@code prefix}. */
  Tri matchesSomeStartingWith(String prefix, RequestContext context) {
    if (variable.isEmpty()) {
      return Tri.of(fixed.matchesSomeStartingWith(prefix));
    }
    Resolved r = resolve(context);
    return r.exact().matchesSomeStartingWith(prefix) ? Tri.TRUE
        : r.perhaps().matchesSomeStartingWith(prefix) ? Tri.UNKNOWN : Tri.FALSE;
  }
}
