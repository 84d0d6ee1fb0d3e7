package dev.iamguard.policy.iam;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to assume a role, as a trust policy sees it: who calls, the action and the
 * request context (see {@link RedshiftRequests} for the keys the guard fills).
 *
 * @param caller who calls {@code sts:AssumeRole}
 * @param action normally {@code sts:AssumeRole}
 * @param context condition keys: present, absent or unknown to the guard
 */
public record TrustRequest(Caller caller, String action, RequestContext context) {

  /** The action Redshift and chained roles call. */
  public static final String ASSUME_ROLE = "sts:AssumeRole";
  /** The condition key carrying the database user ARN. */
  public static final String EXTERNAL_ID = "sts:ExternalId";

  public TrustRequest {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(context, "context");
  }

  /** A request whose context holds exactly {@code known} (present); every other key is unknown. */
  public TrustRequest(Caller caller, String action, Map<String, String> known) {
    this(caller, action, contextOf(known));
  }

  private static RequestContext contextOf(Map<String, String> known) {
    RequestContext.Builder builder = RequestContext.builder();
    known.forEach(builder::put);
    return builder.build();
  }

  /** Who calls: an AWS service in a region, or a role (the previous one of a chain). */
  public sealed interface Caller permits ServiceCaller, RoleCaller {}

  /**
   * A service calling from a region, e.g. {@code redshift} in {@code us-west-2}. A trust
   * policy's {@code Service} principal matches it when it is {@code redshift.amazonaws.com}
   * (every region) or {@code redshift.us-west-2.amazonaws.com} (that region only).
   *
   * @param service the service prefix, e.g. {@code redshift}
   * @param region the caller's region; empty matches only region-less service principals
   */
  public record ServiceCaller(String service, Optional<String> region) implements Caller {}

  /** A session of a role calling, e.g. the previous role of a chain; its session name is unknown. */
  public record RoleCaller(RoleArn role) implements Caller {}

  /**
   * Redshift in {@code region} assuming the first role of a chain for a database user, with only
   * {@code sts:ExternalId} in the context (see {@link RedshiftRequests} for the full context).
   *
   * @param dbUserArn the session's database user ARN, passed as {@code sts:ExternalId};
   *     {@code null} when unknown
   */
  public static TrustRequest fromRedshift(String region, String dbUserArn) {
    return new TrustRequest(new ServiceCaller("redshift", Optional.of(region)), ASSUME_ROLE,
        externalId(dbUserArn));
  }

  /**
   * The previous role of a chain assuming the next one; Redshift passes the database user ARN
   * as {@code sts:ExternalId} on every step.
   */
  public static TrustRequest fromRole(RoleArn previous, String dbUserArn) {
    return new TrustRequest(new RoleCaller(previous), ASSUME_ROLE, externalId(dbUserArn));
  }

  private static RequestContext externalId(String dbUserArn) {
    return dbUserArn == null ? RequestContext.UNKNOWN_ALL
        : RequestContext.builder().put(EXTERNAL_ID, dbUserArn).build();
  }
}
