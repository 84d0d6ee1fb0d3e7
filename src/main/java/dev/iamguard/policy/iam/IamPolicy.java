package dev.iamguard.policy.iam;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An IAM policy document, either a role's trust policy or a permission policy, evaluated with
 * IAM's logic: an explicit Deny wins, then any Allow, else implicit deny.
 *
 * <p>Supported: {@code Version} (2012-10-17, 2008-10-17; absent reads as 2008-10-17, as in IAM,
 * where {@code ${...}} is plain text rather than a policy variable), {@code Id}, {@code Statement} (object
 * or list), {@code Sid}, {@code Effect}, {@code Principal} ({@code "*"}, {@code Service},
 * {@code AWS} with role ARNs, account roots, account ids or {@code "*"}),
 * {@code Action}/{@code NotAction} (wildcards, ignoring case), {@code Resource}/{@code NotResource}
 * (wildcards, case-sensitive) and {@code Condition} with StringEquals, StringLike, ArnEquals or
 * ArnLike on {@code sts:ExternalId} (trust) and {@code s3:prefix} (ListBucket). Anything else is rejected by
 * {@link #parse}.
 */
public final class IamPolicy {
  /**
   * The condition key of an {@code s3:ListBucket} request: the key prefix listed. A read's request
   * carries the location's key, so a policy may limit listing with {@code StringLike} on it.
   */
  public static final String LIST_PREFIX = "s3:prefix";

  /** A trust policy (every statement has a Principal) or a permission policy (none has). */
  public enum Kind {
    TRUST,
    PERMISSIONS
  }

  private final String source;
  private final Optional<String> version;
  private final Optional<String> id;
  private final List<IamStatement> statements;
  private final Kind kind;

  IamPolicy(String source, Optional<String> version, Optional<String> id,
      List<IamStatement> statements, Kind kind) {
    this.source = source;
    this.version = version;
    this.id = id;
    this.statements = List.copyOf(statements);
    this.kind = kind;
  }

  /**
   * Reads a policy from the JSON that {@code aws iam get-role}, {@code get-role-policy} or
   * {@code get-policy-version} print, or from the document alone. A document given as a
   * URL-encoded string, as the raw IAM API returns it, is decoded.
   *
   * @param sourceName names the text in problems, e.g. {@code iam/RoleB.trust.json}
   * @throws IamPolicyException listing every problem, each with the statement and line
   */
  public static IamPolicy parse(String text, String sourceName) throws IamPolicyException {
    return IamDocumentReader.read(text, sourceName);
  }

  IamPolicy withSource(String newSource) {
    return new IamPolicy(newSource, version, id, statements, kind);
  }

  public String source() {
    return source;
  }

  public Kind kind() {
    return kind;
  }

  public Optional<String> version() {
    return version;
  }

  public Optional<String> id() {
    return id;
  }

  public List<IamStatement> statements() {
    return statements;
  }

  /** The effect of this permission policy on {@code action} on one {@code resource}. */
  public IamEffect evaluate(String action, String resource, Map<String, String> context) {
    return decide(action, resource, context).effect();
  }

  /** Like {@link #evaluate}, with the statement that decided. */
  public IamDecision decide(String action, String resource, Map<String, String> context) {
    requireKind(Kind.PERMISSIONS);
    Predicate<IamStatement> applies =
        s -> s.matchesAction(action, context) && s.coversResource(resource);
    return decideWith(applies, applies);
  }

  /**
   * The effect that holds for every resource starting with {@code resourcePrefix}, e.g. all
   * objects a COPY reads under {@code arn:aws:s3:::bucket/key-prefix}. An Allow statement counts
   * only if its resource element applies to every such resource; a Deny statement counts if it
   * applies to at least one of them. With NotResource, "applies" is the complement: an Allow
   * with NotResource counts when none of its patterns matches any resource with the prefix, a
   * Deny with NotResource when its patterns do not cover them all.
   */
  public IamEffect evaluateForPrefix(String action, String resourcePrefix,
      Map<String, String> context) {
    return decideForPrefix(action, resourcePrefix, context).effect();
  }

  /** Like {@link #evaluateForPrefix}, with the statement that decided. */
  public IamDecision decideForPrefix(String action, String resourcePrefix,
      Map<String, String> context) {
    requireKind(Kind.PERMISSIONS);
    return decideWith(
        s -> s.matchesAction(action, context) && s.coversEveryResourceStartingWith(resourcePrefix),
        s -> s.matchesAction(action, context) && s.coversSomeResourceStartingWith(resourcePrefix));
  }

  /** Whether this trust policy lets the request's caller assume the role. */
  public IamEffect evaluateTrust(TrustRequest request) {
    return decideTrust(request).effect();
  }

  /** Like {@link #evaluateTrust}, with the statement that decided. */
  public IamDecision decideTrust(TrustRequest request) {
    requireKind(Kind.TRUST);
    Predicate<IamStatement> applies = s -> s.matchesPrincipal(request.caller())
        && s.matchesAction(request.action(), request.context());
    return decideWith(applies, applies);
  }

  /**
   * Whether an Allow statement of this trust policy names the request's caller for its action,
   * conditions aside: tells a caller that is not trusted at all from one whose ExternalId
   * condition failed.
   */
  public boolean namesCaller(TrustRequest request) {
    requireKind(Kind.TRUST);
    return statements.stream().anyMatch(s -> s.effect() == IamEffect.ALLOW
        && s.matchesPrincipal(request.caller()) && s.matchesActionIgnoringConditions(request.action()));
  }

  private IamDecision decideWith(Predicate<IamStatement> allows, Predicate<IamStatement> denies) {
    IamStatement allow = null;
    for (IamStatement s : statements) {
      if (s.effect() == IamEffect.DENY && denies.test(s)) {
        return new IamDecision(IamEffect.DENY, source, Optional.of(s));
      }
      if (s.effect() == IamEffect.ALLOW && allow == null && allows.test(s)) {
        allow = s;
      }
    }
    return allow == null ? new IamDecision(IamEffect.IMPLICIT_DENY, source, Optional.empty())
        : new IamDecision(IamEffect.ALLOW, source, Optional.of(allow));
  }

  private void requireKind(Kind expected) {
    if (kind != expected) {
      throw new IllegalStateException(source + " is a " + describe(kind) + ", not a "
          + describe(expected) + (expected == Kind.TRUST ? "; use evaluate" : "; use evaluateTrust"));
    }
  }

  /** {@code trust policy} or {@code permission policy}. */
  public static String describe(Kind kind) {
    return kind == Kind.TRUST ? "trust policy" : "permission policy";
  }

  @Override
  public String toString() {
    return describe(kind) + " " + source + " (" + statements.size() + " statements)";
  }
}
