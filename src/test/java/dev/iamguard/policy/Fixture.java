package dev.iamguard.policy;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small registry for rule tests, in both of the registry's forms: the short {@code trust:} /
 * {@code allow:} form and {@code policy_files:} with IAM documents that say the same thing.
 *
 * <p>Cluster {@code west} (account 111122223333, us-west-2) has Loader and Regional attached,
 * Loader as its default role. Roles:
 * <ul>
 *   <li>Loader (alias {@code loader}): trusted by Redshift in us-west-2 and us-east-1, only for
 *       user1 and user2 of west (ExternalId); reads {@code s3://data/in/}, writes
 *       {@code s3://data/out/}, invokes {@code loaderFn} (and, by ARN, account B's {@code sharedFn}),
 *       uses Glue {@code salesdb} (and, by ARN, account B's {@code shared}), scans DynamoDB
 *       tables {@code Sales*} and reads EMR cluster {@code j-LOADER1}; may assume Partner,
 *       Distrustful and Restricted (not Unreachable).
 *   <li>Partner (account 444455556666): trusts Loader; reads {@code s3://partner/in/}, writes
 *       {@code s3://partner/out/}, invokes {@code partnerFn}, uses {@code partnerdb}.
 *   <li>Distrustful: Loader may assume it, but it trusts only account 999999999999.
 *   <li>Unreachable: trusts Loader's account root, but Loader has no sts:AssumeRole on it.
 *   <li>Restricted: trusts Loader, with an ExternalId condition naming user1 only.
 *   <li>Regional: attached, trusted by Redshift in us-east-1 and eu-west-1 only.
 *   <li>Detached: trusts Redshift everywhere but is not attached to west.
 * </ul>
 * Chain name {@code partnerchain} is Loader,Partner.
 */
final class Fixture {
  static final String A = "111122223333";
  static final String B = "444455556666";
  static final String LOADER = "arn:aws:iam::" + A + ":role/Loader";
  static final String REGIONAL = "arn:aws:iam::" + A + ":role/Regional";
  static final String DETACHED = "arn:aws:iam::" + A + ":role/Detached";
  static final String PARTNER = "arn:aws:iam::" + B + ":role/Partner";
  static final String DISTRUSTFUL = "arn:aws:iam::" + B + ":role/Distrustful";
  static final String UNREACHABLE = "arn:aws:iam::" + B + ":role/Unreachable";
  static final String RESTRICTED = "arn:aws:iam::" + B + ":role/Restricted";
  static final String GHOST = "arn:aws:iam::" + B + ":role/Ghost";
  static final String LOADER_PARTNER = LOADER + "," + PARTNER;

  /** The dbuser ARN of {@code user} on cluster west. */
  static String dbUser(String user) {
    return "arn:aws:redshift:us-west-2:" + A + ":dbuser:west/" + user;
  }

  /** Which registry form describes the roles. */
  enum Form {
    SHORT,
    IAM
  }

  static final String CLUSTERS = """
      clusters:
        - id: west
          account: "111122223333"
          region: us-west-2
          attached_roles: [%s, %s]
          default_role: %s
      """.formatted(LOADER, REGIONAL, LOADER);

  static final String SHORT_ROLES = """
      roles:
        - arn: %1$s
          alias: loader
          trust:
            regions: [us-west-2, us-east-1]
            db_users: [%2$s, %3$s]
          allow:
            s3_read: ["s3://data/in/"]
            s3_write: ["s3://data/out/"]
            lambda: [loaderFn, "arn:aws:lambda:us-west-2:444455556666:function:sharedFn"]
            glue_databases: [salesdb, "arn:aws:glue:us-west-2:444455556666:database/shared"]
            assume: [%4$s, %5$s, %6$s]
            dynamodb_tables: [Sales*]
            emr_clusters: [j-LOADER1]
        - arn: %4$s
          trust:
            principals: [%1$s]
          allow:
            s3_read: ["s3://partner/in/"]
            s3_write: ["s3://partner/out/"]
            lambda: [partnerFn]
            glue_databases: [partnerdb]
        - arn: %5$s
          trust:
            principals: ["arn:aws:iam::999999999999:root"]
          allow:
            s3_read: ["s3://partner/in/"]
        - arn: %7$s
          trust:
            principals: ["arn:aws:iam::111122223333:root"]
          allow:
            s3_read: ["s3://partner/in/"]
        - arn: %6$s
          trust:
            principals: [%1$s]
            db_users: [%2$s]
          allow:
            s3_read: ["s3://partner/in/"]
        - arn: %8$s
          trust:
            regions: [us-east-1, eu-west-1]
          allow:
            s3_read: ["s3://data/in/"]
        - arn: %9$s
          allow:
            s3_read: ["s3://data/in/"]
      """.formatted(LOADER, dbUser("user1"), dbUser("user2"), PARTNER, DISTRUSTFUL, RESTRICTED,
      UNREACHABLE, REGIONAL, DETACHED);

  static final String IAM_ROLES = """
      roles:
        - arn: %s
          alias: loader
          policy_files: {trust: iam/Loader.trust.json, permissions: [iam/Loader.permissions.json]}
        - arn: %s
          policy_files: {trust: iam/Partner.trust.json, permissions: [iam/Partner.permissions.json]}
        - arn: %s
          policy_files: {trust: iam/Distrustful.trust.json, permissions: [iam/PartnerIn.json]}
        - arn: %s
          policy_files: {trust: iam/Unreachable.trust.json, permissions: [iam/PartnerIn.json]}
        - arn: %s
          policy_files: {trust: iam/Restricted.trust.json, permissions: [iam/PartnerIn.json]}
        - arn: %s
          policy_files: {trust: iam/Regional.trust.json, permissions: [iam/DataIn.json]}
        - arn: %s
          policy_files: {trust: iam/Redshift.trust.json, permissions: [iam/DataIn.json]}
      """.formatted(LOADER, PARTNER, DISTRUSTFUL, UNREACHABLE, RESTRICTED, REGIONAL, DETACHED);

  /** The IAM documents {@link #IAM_ROLES} names, saying what {@link #SHORT_ROLES} says. */
  static final Map<String, String> IAM_DOCUMENTS = Map.of(
      "Loader.trust.json", """
          {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": ["redshift.us-west-2.amazonaws.com", "redshift.us-east-1.amazonaws.com"]},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": ["%s", "%s"]}}}]}
          """.formatted(dbUser("user1"), dbUser("user2")),
      "Loader.permissions.json", """
          {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/in/*"},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::data/out/*"},
            {"Effect": "Allow", "Action": "lambda:InvokeFunction",
             "Resource": ["arn:aws:lambda:us-west-2:111122223333:function:loaderFn",
                          "arn:aws:lambda:us-west-2:444455556666:function:sharedFn"]},
            {"Effect": "Allow", "Action": "glue:GetDatabase",
             "Resource": ["arn:aws:glue:us-west-2:111122223333:catalog",
                          "arn:aws:glue:us-west-2:111122223333:database/salesdb",
                          "arn:aws:glue:us-west-2:444455556666:catalog",
                          "arn:aws:glue:us-west-2:444455556666:database/shared"]},
            {"Effect": "Allow", "Action": ["dynamodb:Scan", "dynamodb:DescribeTable"],
             "Resource": "arn:aws:dynamodb:us-west-2:111122223333:table/Sales*"},
            {"Effect": "Allow", "Action": "elasticmapreduce:ListInstances",
             "Resource": "arn:aws:elasticmapreduce:us-west-2:111122223333:cluster/j-LOADER1"},
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ["%s", "%s", "%s"]}]}
          """.formatted(PARTNER, DISTRUSTFUL, RESTRICTED),
      "Partner.trust.json", trustsAws(LOADER),
      "Partner.permissions.json", """
          {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::partner"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::partner/in/*"},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::partner/out/*"},
            {"Effect": "Allow", "Action": "lambda:InvokeFunction",
             "Resource": "arn:aws:lambda:us-west-2:444455556666:function:partnerFn"},
            {"Effect": "Allow", "Action": "glue:GetDatabase",
             "Resource": ["arn:aws:glue:us-west-2:111122223333:catalog",
                          "arn:aws:glue:us-west-2:111122223333:database/partnerdb"]}]}
          """,
      "Distrustful.trust.json", trustsAws("arn:aws:iam::999999999999:root"),
      "Unreachable.trust.json", trustsAws("arn:aws:iam::111122223333:root"),
      "Restricted.trust.json", """
          {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "%s"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "%s"}}}]}
          """.formatted(LOADER, dbUser("user1")),
      "Regional.trust.json", """
          {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": ["redshift.us-east-1.amazonaws.com", "redshift.eu-west-1.amazonaws.com"]},
            "Action": "sts:AssumeRole"}]}
          """,
      "Redshift.trust.json", """
          {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "redshift.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
          """);

  static final Map<String, String> IAM_SHARED = Map.of(
      "PartnerIn.json", """
          {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::partner"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::partner/in/*"}]}
          """,
      "DataIn.json", """
          {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/in/*"}]}
          """);

  static final String CHAINS = """
      chains:
        partnerchain: [%s, %s]
      """.formatted(LOADER, PARTNER);

  private static String trustsAws(String principal) {
    return """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "%s"},
          "Action": "sts:AssumeRole"}]}
        """.formatted(principal);
  }

  private Fixture() {}

  /** The fixture registry in short form, with {@code extra} sections (grants, users, policy) appended. */
  static Registry registry(String extra) {
    return parse("version: 1\n" + CLUSTERS + SHORT_ROLES + CHAINS + extra, null);
  }

  /** The fixture registry in short form, with no extra sections. */
  static Registry registry() {
    return registry("");
  }

  /**
   * The fixture registry in {@code form}, with {@code extra} sections appended; the IAM form
   * writes its documents under {@code dir/iam}.
   */
  static Registry registry(Form form, Path dir, String extra) {
    if (form == Form.SHORT) {
      return registry(extra);
    }
    writeIamDocuments(dir);
    return parse("version: 1\n" + CLUSTERS + IAM_ROLES + CHAINS + extra, dir);
  }

  static void writeIamDocuments(Path dir) {
    try {
      Path iam = Files.createDirectories(dir.resolve("iam"));
      for (Map<String, String> documents : java.util.List.of(IAM_DOCUMENTS, IAM_SHARED)) {
        for (Map.Entry<String, String> document : documents.entrySet()) {
          Files.writeString(iam.resolve(document.getKey()), document.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses registry text named {@code test.yaml}; a registry error fails the calling test. */
  static Registry parse(String yaml, Path baseDir) {
    try {
      return RegistryLoader.parse(yaml, "test.yaml", baseDir);
    } catch (RegistryException e) {
      throw new AssertionError("test registry does not load: " + e.getMessage() + "\n" + yaml, e);
    }
  }

  /** Inspects {@code sql} as {@code user} on the registry's only cluster. */
  static Decision inspect(Registry registry, String user, String sql) {
    return new Guard(registry).inspect(sql, Session.of(user, null));
  }

  /** Inspects {@code sql} as user1. */
  static Decision inspect(Registry registry, String sql) {
    return inspect(registry, "user1", sql);
  }

  /** The rule ids of every finding, nested ones included, in order. */
  static java.util.List<RuleId> rules(Decision decision) {
    return decision.findings().stream().map(Finding::rule).toList();
  }
}
