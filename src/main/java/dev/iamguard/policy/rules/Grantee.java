package dev.iamguard.policy.rules;

import dev.iamguard.policy.registry.NameList;
import dev.iamguard.policy.registry.PolicySettings;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import java.util.List;

/**
 * Whose permissions bound the resources of a statement: the last role of its chain, or the
 * access keys it supplies (which name no role, so the registry's {@code policy.keys} states what
 * they may touch). The resource rules ask here and never care which of the two it is.
 */
interface Grantee extends java.util.function.Predicate<String> {
  /**
   * Whether it may read the one S3 object {@code uri}, as a statement's own locations are judged:
   * what a COPY manifest lists ({@link dev.iamguard.policy.StatementDecision#mayRead}). A grantee is
   * its own predicate, so a decision holds it without another object per statement.
   */
  @Override
  default boolean test(String uri) {
    return S3Prefixes.problem(uri) == null && mayRead(uri, false) && otherReadingDenied(uri, false, false) == null;
  }

  /**
   * The first other reading of {@code uri} ({@link S3Prefixes#otherReadings}: percent escapes
   * decoded, the key ended at {@code ?} or {@code #}) it may not read or write, or null when it may
   * touch every one: how Redshift reads such keys is not documented, so each must be permitted.
   */
  default String otherReadingDenied(String uri, boolean keyPrefix, boolean write) {
    java.util.List<String> readings = S3Prefixes.otherReadings(uri);
    for (int at = 0; at < readings.size(); at++) {
      String reading = readings.get(at);
      if (!(write ? mayWrite(reading, keyPrefix) : mayRead(reading, keyPrefix))) {
        return reading;
      }
    }
    return null;
  }

  /** How messages name it: "role arn:..." or "the access keys". */
  String name();

  /** The role's ARN, for {@link dev.iamguard.policy.Finding#role()}; null for access keys, which name no role. */
  default String roleArn() {
    return null;
  }

  /** Whether it may read every key the command can touch at {@code uri}. */
  boolean mayRead(String uri, boolean keyPrefix);

  /** Whether it may write every key the command can touch at {@code uri}. */
  boolean mayWrite(String uri, boolean keyPrefix);

  /**
   * Whether it may delete every key the command can touch at {@code uri}: UNLOAD's CLEANPATH removes
   * the files under its target first, and needs {@code s3:DeleteObject} there.
   */
  boolean mayDelete(String uri, boolean keyPrefix);

  /** Whether COPY may scan the DynamoDB table (of the caller's account) in {@code region}. */
  boolean mayScanTable(String table, String region);

  /** Whether COPY may read from the EMR cluster (of the caller's account) in {@code region}. */
  boolean mayReadCluster(String cluster, String region);

  /** What it may read or write on S3, for messages. */
  String describeS3(boolean write);

  /**
   * Where a denied S3 request was judged conservatively (a condition on a key the guard cannot
   * know), for messages; null when it was not.
   */
  default String conservativeS3(String uri, boolean keyPrefix, boolean write) {
    return null;
  }

  /** Where the registry states {@code key} for it: {@code allow.s3_read in FILE} or {@code policy.keys.s3_read in FILE}. */
  String registryKey(String key, String file);

  /** The role {@code role}, asked with the requests of {@code scope}. */
  static Grantee role(RoleConfig role, RequestScope scope) {
    return new RoleGrantee(role, scope);
  }

  static Grantee keys(PolicySettings.KeyGrants keys) {
    return new KeyGrantee(keys);
  }

  /** The last role of a chain, in either registry form. */
  record RoleGrantee(RoleConfig role, RequestScope scope) implements Grantee {
    @Override
    public String name() {
      return "role " + role.arn();
    }

    @Override
    public String roleArn() {
      return role.arn().toString();
    }

    @Override
    public boolean mayRead(String uri, boolean keyPrefix) {
      return RoleAccess.mayRead(role, uri, keyPrefix, scope);
    }

    @Override
    public boolean mayWrite(String uri, boolean keyPrefix) {
      return RoleAccess.mayWrite(role, uri, keyPrefix, scope);
    }

    @Override
    public boolean mayDelete(String uri, boolean keyPrefix) {
      return RoleAccess.mayDelete(role, uri, keyPrefix, scope);
    }

    @Override
    public boolean mayScanTable(String table, String region) {
      return RoleAccess.mayScanTable(role, table, region, scope);
    }

    @Override
    public boolean mayReadCluster(String cluster, String region) {
      return RoleAccess.mayReadCluster(role, cluster, region, scope);
    }

    @Override
    public String describeS3(boolean write) {
      return RoleAccess.describeS3(role, write);
    }

    @Override
    public String conservativeS3(String uri, boolean keyPrefix, boolean write) {
      return RoleAccess.conservativeS3(role, uri, keyPrefix, write, scope);
    }

    @Override
    public String registryKey(String key, String file) {
      return "allow." + key + " of " + role.arn().name() + " in " + file;
    }
  }

  /** Access keys: bound by {@code policy.keys}, nothing when it is absent. */
  record KeyGrantee(PolicySettings.KeyGrants keys) implements Grantee {
    @Override
    public String name() {
      return "the access keys";
    }

    @Override
    public boolean mayRead(String uri, boolean keyPrefix) {
      return S3Prefixes.covered(keys.s3Read(), uri, keyPrefix);
    }

    @Override
    public boolean mayWrite(String uri, boolean keyPrefix) {
      return S3Prefixes.covered(keys.s3Write(), uri, keyPrefix);
    }

    /** Write prefixes grant deletes too: the registry's prefixes stand for what the keys may change. */
    @Override
    public boolean mayDelete(String uri, boolean keyPrefix) {
      return mayWrite(uri, keyPrefix);
    }

    @Override
    public boolean mayScanTable(String table, String region) {
      return NameList.anyMatches(keys.dynamodbTables(), table);
    }

    @Override
    public boolean mayReadCluster(String cluster, String region) {
      return NameList.anyMatches(keys.emrClusters(), cluster);
    }

    @Override
    public String describeS3(boolean write) {
      List<S3Prefix> prefixes = write ? keys.s3Write() : keys.s3Read();
      String key = write ? "s3_write" : "s3_read";
      return prefixes.isEmpty() ? "the registry states no policy.keys." + key + " prefixes for keys"
          : "policy.keys." + key + " is " + S3Prefixes.listed(prefixes);
    }

    @Override
    public String registryKey(String key, String file) {
      return "policy.keys." + key + " in " + file;
    }
  }
}
