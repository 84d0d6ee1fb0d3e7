package dev.iamguard.policy.iam;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An IAM policy document: a role's trust policy, a permission policy (inline, managed or a
 * permissions boundary) or a resource-based policy (a bucket policy), evaluated with IAM's logic:
 * an explicit Deny wins, then any Allow, else implicit deny.
 *
 * <p>Read: {@code Version} (2012-10-17, 2008-10-17; absent reads as 2008-10-17, as in IAM, where
 * {@code ${...}} is plain text rather than a policy variable), {@code Id}, {@code Statement}
 * (object or list), {@code Sid}, {@code Effect}, {@code Principal} / {@code NotPrincipal}
 * ({@code "*"}, {@code Service}, {@code AWS} with accounts, roles, users and sessions,
 * {@code Federated}, {@code CanonicalUser}), {@code Action} / {@code NotAction} (wildcards,
 * ignoring case), {@code Resource} / {@code NotResource} (ARN wildcards, case-sensitive, policy
 * variables) and every condition operator of the IAM reference with {@code IfExists} and the
 * {@code ForAllValues:} / {@code ForAnyValue:} qualifiers. A statement about actions the guard
 * never evaluates is kept and skipped ({@link IamStatement#skipped()}).
 *
 * <p>A statement part on a condition key or variable the request context does not know is judged
 * conservatively: it never makes an Allow grant and always lets a Deny apply; the decision lists
 * each such part ({@link IamDecision#conservative()}).
 */
public final class IamPolicy {

  /** What a document is, told by its statements. */
  public enum Kind {
    /** Every statement has a Principal and no Resource: a role's trust policy. */
    TRUST,
    /** No statement has a Principal: an identity-based policy (inline, managed, a boundary). */
    PERMISSIONS,
    /** Every statement has a Principal and a Resource: a resource-based policy, such as a bucket policy. */
    RESOURCE
  }

  /**
   * A condition a statement evaluated by the guard sets on a key the guard does not fill.
   *
   * @param operator the condition operator, or {@code Resource} for a policy variable of the Resource element
   * @param key the condition key (or the variable's key)
   */
  public record ConditionUse(IamStatement statement, String operator, String key) {}

  /**
   * What the output of {@code aws iam get-role} or {@code get-role-policy} said beside the document
   * about the role it came from: its ARN and name, and the permissions boundary it has; each null
   * where the output does not say.
   */
  public record Wrapper(String roleArn, String roleName, String boundaryArn) {}

  private final String source;
  private final Optional<String> version;
  private final Optional<String> id;
  private final List<IamStatement> statements;
  private final Kind kind;
  private final Optional<Wrapper> wrapper;

  IamPolicy(String source, Optional<String> version, Optional<String> id,
      List<IamStatement> statements, Kind kind) {
    this(source, version, id, statements, kind, Optional.empty());
  }

  IamPolicy(String source, Optional<String> version, Optional<String> id,
      List<IamStatement> statements, Kind kind, Optional<Wrapper> wrapper) {
    this.source = source;
    this.version = version;
    this.id = id;
    this.statements = List.copyOf(statements);
    this.kind = kind;
    this.wrapper = wrapper;
  }

  /** What the AWS CLI output the document was read from said of its role ({@link Wrapper}), if it was one. */
  public Optional<Wrapper> wrapper() {
    return wrapper;
  }

  /** A URL-encoded JSON object: '{' after encoded white space (a pretty-printed document starts with a line end). */
  private static final java.util.regex.Pattern ENCODED_OBJECT =
      java.util.regex.Pattern.compile("(?:%20|%09|%0A|%0D)*%7B", java.util.regex.Pattern.CASE_INSENSITIVE);

  /**
   * The JSON text of a policy document given as a string: as it is when it is JSON (an object),
   * decoded when it is URL-encoded as the raw IAM API returns it (also after encoded white space);
   * empty otherwise.
   *
   * @throws IllegalArgumentException when it is URL-encoded with a malformed escape, named in the message
   */
  public static Optional<String> documentText(String value) {
    String text = value.strip();
    if (text.startsWith("{")) {
      return Optional.of(text);
    }
    if (ENCODED_OBJECT.matcher(text).lookingAt()) {
      for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
        if (i + 2 >= text.length() || !hexDigit(text.charAt(i + 1)) || !hexDigit(text.charAt(i + 2))) {
          throw new IllegalArgumentException("URL-encoded JSON with a malformed escape \""
              + text.substring(i, Math.min(i + 3, text.length())) + "\" at char " + (i + 1)
              + " (% takes two hexadecimal digits)");
        }
      }
      // '+' is a literal plus in RFC 3986 encoding, not the form-encoding space
      return Optional.of(java.net.URLDecoder.decode(text.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)
          .strip());
    }
    return Optional.empty();
  }

  /** An ASCII hexadecimal digit: URLDecoder also takes other scripts' digits, which no encoder writes. */
  private static boolean hexDigit(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
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

  /**
   * Reads a document already read as YAML, e.g. one written inline in the registry: problems name
   * {@code sourceName} and the lines of the YAML it came from.
   */
  public static IamPolicy fromNode(org.snakeyaml.engine.v2.nodes.Node document, String sourceName)
      throws IamPolicyException {
    return IamDocumentReader.read(document, sourceName);
  }

  IamPolicy withSource(String newSource) {
    return new IamPolicy(newSource, version, id, statements, kind, wrapper);
  }

  /** The same document under another source name, e.g. where an inline document sits in the registry. */
  public IamPolicy renamed(String newSource) {
    return withSource(newSource);
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

  /** Every statement, skipped ones included. */
  public List<IamStatement> statements() {
    return statements;
  }

  /**
   * Whether a statement of this permission policy may allow {@code action} on {@code resource} in
   * some request context (conditions aside, policy variables any value): false only where the
   * policy allows that request in no context.
   */
  public boolean mayAllowInSomeContext(String action, String resource) {
    for (IamStatement statement : statements) {
      if (statement.mayAllowInSomeContext(action, resource)) {
        return true;
      }
    }
    return false;
  }

  /** The effect of this permission policy on {@code action} on one {@code resource}. */
  public IamEffect evaluate(String action, String resource, Map<String, String> context) {
    return decide(action, resource, context).effect();
  }

  /**
   * Like {@link #evaluate}, with the statement that decided.
   *
   * @param context the keys the request carries; every other key is unknown
   */
  public IamDecision decide(String action, String resource, Map<String, String> context) {
    return decide(IamRequest.of(action, resource, contextOf(context)));
  }

  /**
   * The effect that holds for every resource starting with {@code resourcePrefix}, e.g. all
   * objects a COPY reads under {@code arn:aws:s3:::bucket/key-prefix}. An Allow statement counts
   * only if its resource element applies to every such resource; a Deny statement counts if it
   * applies to at least one of them. With NotResource, "applies" is the complement.
   */
  public IamEffect evaluateForPrefix(String action, String resourcePrefix,
      Map<String, String> context) {
    return decideForPrefix(action, resourcePrefix, context).effect();
  }

  /** Like {@link #evaluateForPrefix}, with the statement that decided. */
  public IamDecision decideForPrefix(String action, String resourcePrefix,
      Map<String, String> context) {
    return decide(IamRequest.prefix(action, resourcePrefix, contextOf(context)));
  }

  /** How this permission policy decides {@code request}. */
  public IamDecision decide(IamRequest request) {
    requireKind(Kind.PERMISSIONS);
    return evaluate(null, request, request.action(), request.context());
  }

  /** How this resource-based policy (a bucket policy) decides {@code request} of {@code caller}. */
  public IamDecision decideResource(TrustRequest.Caller caller, IamRequest request) {
    requireKind(Kind.RESOURCE);
    return evaluate(caller, request, request.action(), request.context());
  }

  /** Whether this trust policy lets the request's caller assume the role. */
  public IamEffect evaluateTrust(TrustRequest request) {
    return decideTrust(request).effect();
  }

  /** Like {@link #evaluateTrust}, with the statement that decided. */
  public IamDecision decideTrust(TrustRequest request) {
    requireKind(Kind.TRUST);
    return evaluate(request.caller(), null, request.action(), request.context());
  }

  /**
   * Whether an Allow statement of this trust policy names the request's caller for its action,
   * conditions aside: tells a caller that is not trusted at all from one whose conditions failed.
   */
  public boolean namesCaller(TrustRequest request) {
    requireKind(Kind.TRUST);
    return statements.stream().anyMatch(s -> s.effect() == IamEffect.ALLOW
        && s.matchesActionIgnoringConditions(request.action())
        && s.principalApplies(request.caller()) != Tri.FALSE);
  }

  /**
   * The conditions of the statements the guard evaluates that name a key the guard does not fill
   * for any request of the statement's actions ({@link RedshiftRequests#suppliedKeys}) nor finds in
   * {@code declaredKeys} (what a registry states in {@code request_context}): where decisions are
   * made conservatively.
   */
  public List<ConditionUse> conservativeConditions(Set<String> declaredKeys) {
    Set<String> declared = new HashSet<>();
    declaredKeys.forEach(k -> declared.add(k.toLowerCase(Locale.ROOT)));
    List<ConditionUse> uses = new ArrayList<>();
    for (IamStatement s : statements) {
      if (s.skipped()) {
        continue;
      }
      Set<String> supplied = new HashSet<>(declared);
      for (String action : RedshiftRequests.REQUESTED_ACTIONS) {
        if (s.coversAction(action)) {
          supplied.addAll(RedshiftRequests.suppliedKeys(action));
        }
      }
      for (String[] use : s.conditionKeys()) {
        if (!supplied.contains(use[1].toLowerCase(Locale.ROOT))) {
          uses.add(new ConditionUse(s, use[0], use[1]));
        }
      }
    }
    return uses;
  }

  /**
   * Evaluates the statements for one request: a definite Deny ends it, a Deny judged unknown is
   * taken to apply unless a definite one follows, an Allow judged unknown is not counted.
   */
  private IamDecision evaluate(TrustRequest.Caller caller, IamRequest request, String action,
      RequestContext context) {
    IamStatement allow = null;
    IamStatement unknownDeny = null;
    List<Conservative> denyNotes = null;
    List<Conservative> allowNotes = null;
    for (IamStatement s : statements) {
      if (s.skipped() || !s.coversAction(action)) {
        continue;
      }
      Tri applies = caller == null ? Tri.TRUE : s.principalApplies(caller);
      if (applies != Tri.FALSE && request != null) {
        applies = applies.and(s.resourceApplies(request));
      }
      if (applies != Tri.FALSE) {
        applies = applies.and(s.conditionsHold(context));
      }
      if (applies == Tri.FALSE) {
        continue;
      }
      boolean deny = s.effect() == IamEffect.DENY;
      if (applies == Tri.TRUE) {
        if (deny) {
          return new IamDecision(IamEffect.DENY, source, Optional.of(s));
        }
        allow = allow == null ? s : allow;
        continue;
      }
      List<Conservative> notes = new ArrayList<>(2);
      s.explainUnknown(source, caller, request, context, notes);
      if (deny) {
        unknownDeny = unknownDeny == null ? s : unknownDeny;
        denyNotes = denyNotes == null ? notes : append(denyNotes, notes);
      } else {
        allowNotes = allowNotes == null ? notes : append(allowNotes, notes);
      }
    }
    if (unknownDeny != null) {
      return new IamDecision(IamEffect.DENY, source, Optional.of(unknownDeny), denyNotes);
    }
    if (allow != null) {
      return new IamDecision(IamEffect.ALLOW, source, Optional.of(allow));
    }
    return new IamDecision(IamEffect.IMPLICIT_DENY, source, Optional.empty(),
        allowNotes == null ? List.of() : allowNotes);
  }

  private static List<Conservative> append(List<Conservative> to, List<Conservative> more) {
    to.addAll(more);
    return to;
  }

  private static RequestContext contextOf(Map<String, String> known) {
    if (known.isEmpty()) {
      return RequestContext.UNKNOWN_ALL;
    }
    RequestContext.Builder builder = RequestContext.builder();
    known.forEach(builder::put);
    return builder.build();
  }

  private void requireKind(Kind expected) {
    if (kind != expected) {
      throw new IllegalStateException(source + " is a " + describe(kind) + ", not a "
          + describe(expected) + (expected == Kind.TRUST ? "; use decide" : "; use decideTrust"));
    }
  }

  /** {@code trust policy}, {@code permission policy} or {@code resource-based policy}. */
  public static String describe(Kind kind) {
    return switch (kind) {
      case TRUST -> "trust policy";
      case PERMISSIONS -> "permission policy";
      case RESOURCE -> "resource-based policy (a bucket policy)";
    };
  }

  @Override
  public String toString() {
    return describe(kind) + " " + source + " (" + statements.size() + " statements)";
  }
}
