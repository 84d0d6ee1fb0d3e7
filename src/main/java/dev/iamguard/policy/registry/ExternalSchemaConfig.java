package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import java.util.List;
import java.util.Optional;

/**
 * An external schema the registry knows ({@code external_schemas}): the role chain its CREATE
 * EXTERNAL SCHEMA named, whose last role reads and writes its tables' S3 locations.
 *
 * @param name the schema name (compared ignoring case, as Redshift folds identifiers)
 * @param chain the IAM_ROLE chain, as ARNs
 * @param cluster the only cluster it is on; empty = every cluster of the registry
 * @param line where the entry starts in the registry file
 */
public record ExternalSchemaConfig(String name, List<RoleArn> chain, Optional<String> cluster, int line) {
  public ExternalSchemaConfig {
    chain = List.copyOf(chain);
  }
}
