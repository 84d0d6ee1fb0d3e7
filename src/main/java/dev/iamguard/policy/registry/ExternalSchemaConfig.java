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
 * @param database the Glue Data Catalog database its CREATE named ({@code database}), which an ALTER
 *     EXTERNAL SCHEMA to another role is judged against; empty when not given
 * @param catalogId the CATALOG_ID its CREATE named; empty: the cluster's account
 * @param region the REGION its CREATE named; empty: the cluster's region
 */
public record ExternalSchemaConfig(String name, List<RoleArn> chain, Optional<String> cluster, int line,
    Optional<String> database, Optional<String> catalogId, Optional<String> region) {
  public ExternalSchemaConfig {
    chain = List.copyOf(chain);
  }

  /** An entry that names no catalog database. */
  public ExternalSchemaConfig(String name, List<RoleArn> chain, Optional<String> cluster, int line) {
    this(name, chain, cluster, line, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
