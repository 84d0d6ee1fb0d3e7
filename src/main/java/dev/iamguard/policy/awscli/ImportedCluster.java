package dev.iamguard.policy.awscli;

import java.util.List;
import java.util.Optional;

/**
 * A provisioned cluster or a serverless workgroup (with its namespace's roles) as the registry
 * will describe it.
 *
 * @param id the cluster identifier or workgroup name
 * @param account its account id
 * @param region its region
 * @param serverless a workgroup rather than a cluster
 * @param attached the roles whose association is in sync: the only ones Redshift can use
 * @param pending the roles being associated or removed, with their status: not usable (yet), so not attached
 * @param defaultRole the default role, when it is attached
 * @param notes what the import decided for this cluster that a reader should know (YAML comments)
 * @param workgroupId a workgroup's id (get-workgroup: workgroupId, or the end of workgroupArn), when given
 */
record ImportedCluster(String id, String account, String region, boolean serverless, List<String> attached,
    List<String> pending, Optional<String> defaultRole, List<String> notes, Optional<String> workgroupId) {

  ImportedCluster {
    attached = List.copyOf(attached);
    pending = List.copyOf(pending);
    notes = List.copyOf(notes);
  }

  /** A provisioned cluster, or a workgroup whose id the files do not give. */
  ImportedCluster(String id, String account, String region, boolean serverless, List<String> attached,
      List<String> pending, Optional<String> defaultRole, List<String> notes) {
    this(id, account, region, serverless, attached, pending, defaultRole, notes, Optional.empty());
  }
}
