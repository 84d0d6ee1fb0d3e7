package dev.iamguard.policy.iam;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Principal} of a trust statement: {@code "*"}, service principals and AWS
 * principals. {@code "*"} and {@code {"AWS": "*"}} both mean everyone, as IAM documents them
 * as equivalent.
 *
 * @param services service principals in lower case, e.g. {@code redshift.amazonaws.com}
 */
record StatementPrincipal(boolean anyone, List<String> services, List<AwsPrincipal> aws) {

  StatementPrincipal {
    services = List.copyOf(services);
    aws = List.copyOf(aws);
  }

  static StatementPrincipal everyone() {
    return new StatementPrincipal(true, List.of(), List.of());
  }

  boolean matches(TrustRequest.Caller caller) {
    if (anyone || aws.stream().anyMatch(p -> p instanceof AwsPrincipal.Anyone)) {
      return true;
    }
    if (caller instanceof TrustRequest.RoleCaller role) {
      return aws.stream().anyMatch(p -> p.matches(role.role()));
    }
    TrustRequest.ServiceCaller service = (TrustRequest.ServiceCaller) caller;
    return services.stream().anyMatch(s -> serviceMatches(s, service));
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
