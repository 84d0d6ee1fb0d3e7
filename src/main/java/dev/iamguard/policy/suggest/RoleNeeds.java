package dev.iamguard.policy.suggest;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.S3Prefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the statements need of one role, collected as they are read (first use first). */
final class RoleNeeds {
  final RoleArn arn;
  /** Some chain starts with it: Redshift assumes it, so it is attached and trusts Redshift. */
  boolean first;
  final Set<RoleArn> principals = new LinkedHashSet<>();
  final Set<String> users = new LinkedHashSet<>();
  final List<S3Prefix> reads = new ArrayList<>();
  final List<S3Prefix> writes = new ArrayList<>();
  /** The written prefixes whose keys are deleted first (UNLOAD ... CLEANPATH). */
  final List<S3Prefix> deletes = new ArrayList<>();
  /** The objects read, written and deleted, as the IAM documents name them (finer than the prefixes). */
  final List<KeyPattern> readObjects = new ArrayList<>();
  final List<KeyPattern> writeObjects = new ArrayList<>();
  final List<KeyPattern> deleteObjects = new ArrayList<>();
  /** The locations as the statements touch them, for comparing with a registry. */
  final List<Touch> touched = new ArrayList<>();
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

  RoleNeeds(RoleArn arn) {
    this.arn = arn;
  }

  /** An S3 location a statement touches with this role. */
  record Touch(String uri, boolean keyPrefix, boolean write) {}
}
