package dev.iamguard.policy.suggest;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.AllowConfig;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the statements need of one role, collected as they are read (first use first), each need
 * once: a script repeats its locations (the same COPY every day, the same folder for every table),
 * and lists of every use held entries per statement (160,000 statements of two locations ran a 64 MB
 * heap out).
 */
final class RoleNeeds {
  final RoleArn arn;
  /** Some chain starts with it: Redshift assumes it, so it is attached and trusts Redshift. */
  boolean first;
  final Set<RoleArn> principals = new LinkedHashSet<>();
  final Set<String> users = new LinkedHashSet<>();
  /** The users who start a chain at it (Redshift assumes it for them). */
  final Set<String> redshiftUsers = new LinkedHashSet<>();
  /** Each role before it to the users who run a chain with that hop. */
  final Map<RoleArn, Set<String>> principalUsers = new LinkedHashMap<>();
  final Set<S3Prefix> reads = new LinkedHashSet<>();
  final Set<S3Prefix> writes = new LinkedHashSet<>();
  /** The written prefixes whose keys are deleted first (UNLOAD ... CLEANPATH). */
  final Set<S3Prefix> deletes = new LinkedHashSet<>();
  /** The objects read, written and deleted, as the IAM documents name them (finer than the prefixes). */
  final Set<KeyPattern> readObjects = new LinkedHashSet<>();
  final Set<KeyPattern> writeObjects = new LinkedHashSet<>();
  final Set<KeyPattern> deleteObjects = new LinkedHashSet<>();
  /**
   * The prefixes the registry's role lacks (what a location needs, as {@link KeySpaces#needed} names
   * it), in the order the statements first touch them; empty without a registry that describes the
   * role by allow and trust.
   */
  final Set<Uncovered> uncovered = new LinkedHashSet<>();
  /** The registry's prefixes that cover some location read, and written. */
  final Set<S3Prefix> usedReads = new HashSet<>();
  final Set<S3Prefix> usedWrites = new HashSet<>();
  /** Short-form Lambda entry to the function's ARN. */
  final Map<String, String> lambdas = new LinkedHashMap<>();
  /** Short-form Glue entry to the database's ARN. */
  final Map<String, String> catalogs = new LinkedHashMap<>();
  final Set<RoleArn> assume = new LinkedHashSet<>();
  final Set<String> dynamodbTables = new LinkedHashSet<>();
  /** DynamoDB table name to its ARN. */
  final Map<String, String> dynamodbArns = new LinkedHashMap<>();
  /** EMR cluster id to its ARN. */
  final Map<String, String> emrArns = new LinkedHashMap<>();
  /**
   * The services, besides Redshift, that assume the role (its trust names them): {@code sagemaker}
   * for a model it trains, {@code bedrock} for a Bedrock model.
   */
  final Set<String> services = new LinkedHashSet<>();
  /** The services the role passes itself to ({@code iam:PassRole} with {@code iam:PassedToService}). */
  final Set<String> passedTo = new LinkedHashSet<>();
  /** Resource ARN, as a Resource names it, to the other actions needed on it (KMS keys, Glue creates). */
  final Map<String, Set<String>> other = new LinkedHashMap<>();

  /** What the registry's role grants, the touches compared with it; null when there is none to compare. */
  private final AllowConfig granted;
  private Set<S3Prefix> grantedReads;
  private Set<S3Prefix> grantedWrites;

  /** {@code granted}: the registry's grants of the role ({@link RegistryDiff} compares them), or null. */
  RoleNeeds(RoleArn arn, AllowConfig granted) {
    this.arn = arn;
    this.granted = granted;
  }

  /**
   * Compares an S3 location a statement touches with this role with what the registry grants, as the
   * location is read: what {@link RegistryDiff} reports needs the prefixes the registry lacks and
   * those used, not the locations (each was kept, as written, once per statement).
   */
  void touch(String uri, boolean keyPrefix, boolean write) {
    if (granted == null) {
      return;
    }
    List<S3Prefix> grants = write ? granted.s3Write() : granted.s3Read(); // an S3PrefixList: looked up
    if (!S3Prefixes.covered(grants, uri, keyPrefix)) {
      uncovered.add(new Uncovered(KeySpaces.needed(uri, keyPrefix, 0), write));
    }
    if (write) {
      grantedWrites = grantedWrites == null ? new HashSet<>(grants) : grantedWrites;
      usedWrites.addAll(KeySpaces.covering(grantedWrites, uri, keyPrefix));
    } else {
      grantedReads = grantedReads == null ? new HashSet<>(grants) : grantedReads;
      usedReads.addAll(KeySpaces.covering(grantedReads, uri, keyPrefix));
    }
  }

  /** A prefix the registry's role lacks for reading or for writing. */
  record Uncovered(S3Prefix needed, boolean write) {}
}
