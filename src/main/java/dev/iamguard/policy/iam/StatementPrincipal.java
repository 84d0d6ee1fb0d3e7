package dev.iamguard.policy.iam;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Principal} (or {@code NotPrincipal}) of a statement: {@code "*"}, service principals,
 * AWS principals, and federated or canonical-user principals, which no caller the guard asks about
 * (Redshift, a role of a chain) ever is. {@code "*"} and {@code {"AWS": "*"}} both mean everyone,
 * as IAM documents them as equivalent.
 *
 * @param services service principals in lower case, e.g. {@code redshift.amazonaws.com}
 * @param others federated and canonical-user principals, as {@code Federated:...} / {@code CanonicalUser:...}
 */
record StatementPrincipal(boolean anyone, List<String> services, List<AwsPrincipal> aws, List<String> others) {

  StatementPrincipal {
    services = List.copyOf(services);
    aws = List.copyOf(aws);
    others = List.copyOf(others);
  }

  static StatementPrincipal everyone() {
    return new StatementPrincipal(true, List.of(), List.of(), List.of());
  }

  /** The principals as written, each with its kind, e.g. {@code Service:redshift.amazonaws.com}. */
  List<String> texts() {
    if (anyone && aws.isEmpty() && services.isEmpty()) {
      return List.of("*");
    }
    List<String> texts = new java.util.ArrayList<>();
    aws.forEach(p -> texts.add("AWS:" + p));
    services.forEach(s -> texts.add("Service:" + s));
    texts.addAll(others);
    return texts;
  }

  private boolean everyoneNamed() {
    return anyone || aws.stream().anyMatch(p -> p instanceof AwsPrincipal.Anyone);
  }

  /**
   * Whether {@code Principal} names the caller. A session principal of the calling role is
   * "perhaps": Redshift chooses the session name.
   */
  Tri names(TrustRequest.Caller caller) {
    if (everyoneNamed()) {
      return Tri.TRUE;
    }
    if (caller instanceof TrustRequest.RoleCaller role) {
      if (aws.stream().anyMatch(p -> p.matches(role.role()))) {
        return Tri.TRUE;
      }
      return perhapsNamed(role.role()).isPresent() ? Tri.UNKNOWN : Tri.FALSE;
    }
    TrustRequest.ServiceCaller service = (TrustRequest.ServiceCaller) caller;
    return Tri.of(services.stream().anyMatch(s -> serviceMatches(s, service)));
  }

  /**
   * Whether a {@code NotPrincipal} statement, always a Deny (the reader refuses an Allow with it),
   * applies to the caller. IAM no longer supports NotPrincipal in a role trust policy, but a role
   * may still hold one written before; a Deny can only take trust away, so it is evaluated rather
   * than refused. IAM may check a role session at each level, its account, its role and the
   * session itself ("AWS might validate the account first, then the role, and then the
   * assumed-role user"), so the Deny is lifted only for a caller named at every level.
   */
  Tri appliesAsNot(TrustRequest.Caller caller) {
    if (everyoneNamed()) {
      return Tri.FALSE;
    }
    if (caller instanceof TrustRequest.ServiceCaller service) {
      return Tri.of(services.stream().noneMatch(s -> serviceMatches(s, service)));
    }
    RoleArn role = ((TrustRequest.RoleCaller) caller).role();
    Tri account = Tri.of(aws.stream().anyMatch(p -> p instanceof AwsPrincipal.Account a && a.matches(role)));
    Tri roleNamed = aws.stream().anyMatch(p -> p instanceof AwsPrincipal.Role r && r.matches(role)) ? Tri.TRUE
        : aws.stream().anyMatch(p -> p instanceof AwsPrincipal.Role r && r.arn().sameRoleAs(role)) ? Tri.UNKNOWN
        : Tri.FALSE;
    Tri session = aws.stream().anyMatch(p -> p instanceof AwsPrincipal.Session s && s.ofRole(role))
        ? Tri.UNKNOWN : Tri.FALSE;
    return account.and(roleNamed).and(session).not();
  }

  /**
   * The principal that perhaps names {@code caller}: a session of it (Redshift chooses the session
   * name), or the role itself under another path (IAM keeps a role principal as the role's unique
   * id; whether it resolves an ARN whose path is not the role's, or refuses it, is not documented).
   */
  Optional<AwsPrincipal> perhapsNamed(RoleArn caller) {
    return aws.stream().filter(p -> p instanceof AwsPrincipal.Session s && s.ofRole(caller)
        || p instanceof AwsPrincipal.Role r && !r.matches(caller) && r.arn().sameRoleAs(caller)).findFirst();
  }

  /**
   * {@code redshift.amazonaws.com} trusts Redshift in every region,
   * {@code redshift.us-west-2.amazonaws.com} only in us-west-2; China regions use the
   * {@code .amazonaws.com.cn} suffix as well.
   */
  private static boolean serviceMatches(String principal, TrustRequest.ServiceCaller caller) {
    String service = caller.service().toLowerCase(Locale.ROOT);
    Optional<String> region = caller.region().map(r -> r.toLowerCase(Locale.ROOT));
    boolean china = region.map(r -> r.startsWith("cn-")).orElse(false);
    for (String suffix : china ? List.of(".amazonaws.com", ".amazonaws.com.cn")
        : List.of(".amazonaws.com")) {
      if (principal.equals(service + suffix)) {
        return true;
      }
      if (region.isPresent() && principal.equals(service + "." + region.get() + suffix)) {
        return true;
      }
    }
    return false;
  }
}
