package dev.iamguard.policy.iam;

import java.util.Objects;

/**
 * One request a role's session makes, as a permission policy sees it.
 *
 * @param action e.g. {@code s3:GetObject}
 * @param resource the resource ARN; with {@code resourcePrefix}, the start of every resource the
 *     command may touch (every key a COPY reads under a prefix)
 * @param resourcePrefix whether the request stands for every resource starting with
 *     {@code resource}: an Allow then counts only when its Resource covers them all, a Deny when it
 *     covers at least one
 * @param context the request context
 */
public record IamRequest(String action, String resource, boolean resourcePrefix, RequestContext context) {

  public IamRequest {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(context, "context");
  }

  /** A request on one resource. */
  public static IamRequest of(String action, String resource, RequestContext context) {
    return new IamRequest(action, resource, false, context);
  }

  /** A request on every resource starting with {@code resourcePrefix}. */
  public static IamRequest prefix(String action, String resourcePrefix, RequestContext context) {
    return new IamRequest(action, resourcePrefix, true, context);
  }
}
