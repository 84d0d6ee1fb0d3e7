package dev.iamguard.policy.suggest;

import dev.iamguard.policy.registry.Registry;
import java.util.List;
import java.util.Optional;

/**
 * What a suggestion is made for.
 *
 * @param registry the registry that resolves aliases, chain names and DEFAULT and whose identity
 *     facts (cluster, users, settings) the suggestion keeps; empty for a registry from scratch
 * @param clusterId the cluster (or serverless workgroup) the scripts run on
 * @param account the cluster's account, or null to take it from the registry or the roles
 * @param region the cluster's region, or null to take it from the registry
 * @param defaultRole without a registry, the ARN {@code IAM_ROLE DEFAULT} stands for; null when not known
 * @param users the database users who run the scripts (SET SESSION AUTHORIZATION switches); empty
 *     when not known, which leaves trust without sts:ExternalId and suggests no grants
 * @param prefixDepth key segments an S3 prefix keeps at most (deeper segments such as dates or run
 *     ids are generalised); 0 keeps every segment
 */
public record SuggestRequest(Optional<Registry> registry, String clusterId, String account, String region,
    String defaultRole, List<String> users, int prefixDepth) {
  public SuggestRequest {
    users = List.copyOf(users);
    if (prefixDepth < 0) {
      throw new IllegalArgumentException("prefix depth must not be negative");
    }
  }
}
