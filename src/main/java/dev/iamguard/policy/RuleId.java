package dev.iamguard.policy;

import dev.iamguard.policy.registry.Registry;

/**
 * The stable rule ids of DESIGN.md. Each constant names the sentence of the seed document
 * (../shared/seed/redshift-iam-authorization.txt) or of the facts file
 * (../shared/reference/redshift-auth-facts.md) it enforces. Every rule denies by default except
 * {@link #COPY_JOB_UNCHECKED} and {@link #EXTERNAL_SCHEMA_UNKNOWN} ({@link #severity()}); registry
 * switches change that per finding ({@link #AUTH_DYNAMIC} only warns under {@code policy.dynamic_sql: warn}).
 */
public enum RuleId {
  /**
   * An auth clause shape that cannot be parsed (unterminated literal, dollar-quoted or missing
   * value, unknown CREDENTIALS key), or a command that needs credentials written without any.
   * Facts 1: "the guard should treat any non-single-quoted auth value as unverifiable"; facts 7:
   * "an empty value must be handled".
   */
  AUTH_UNPARSEABLE(
      "an auth clause cannot be parsed, or a command that needs credentials has none",
      "write IAM_ROLE DEFAULT or IAM_ROLE '<ARN>[,<ARN>...]' as one single-quoted literal"),
  /**
   * A bind parameter stands where a role, key or S3 location must be: its value is only known at
   * execution, after the check. Seed: "specify the Amazon Resource Name (ARN) of the role when
   * you run the Amazon Redshift command".
   */
  AUTH_PARAMETER(
      "a bind parameter stands where a role, key or S3 location must be",
      "write the value in the SQL text"),
  /**
   * IAM_ROLE mixed with keys or CREDENTIALS, a clause given twice, or SESSION_TOKEN without keys.
   * Facts 2: "The three forms are mutually exclusive; SESSION_TOKEN requires both keys."
   */
  AUTH_CONFLICT(
      "IAM_ROLE mixed with keys or CREDENTIALS, a clause twice, or SESSION_TOKEN without keys",
      "supply credentials one way only, preferably IAM_ROLE"),
  /**
   * A role is neither a valid role ARN nor a registry alias, or a rewrite would paste an ARN whose
   * path holds a quote, backslash or dollar sign into the SQL text. Facts 5: "Role ARN:
   * arn:{partition}:iam::{12 digits}:role/{path/}{name}".
   */
  ARN_MALFORMED(
      "a role is neither a valid role ARN nor a registry alias, or is an alias or DEFAULT whose ARN holds ', \\ or $ or a comma, or whose rewrite would not read back as exactly its ARNs (a literal continued across lines, an E''/N'' prefix) (no rewrite can carry it safely)",
      "write arn:aws:iam::<12-digit account>:role/<name> or add the alias"),
  /**
   * Spaces in a chain, an empty element, or a chain split over several literals. Seed: "The
   * entire role chain is enclosed in single quotes and must not contain spaces."
   */
  CHAIN_FORMAT(
      "spaces in a chain, an empty element, or a chain split over several literals",
      "one single-quoted string of comma-joined ARNs, no spaces"),
  /**
   * More roles than {@code max_chain} (at most 10). Facts 2: "at most 10 roles in a chain"; seed:
   * "The maximum number of IAM roles that you can associate is subject to a quota."
   */
  CHAIN_TOO_LONG(
      "more roles than max_chain (at most 10)",
      "shorten the chain"),
  /**
   * A role is not in the registry, so nothing about it can be verified. Seed: "create an IAM role
   * with the appropriate permissions ... and specify the Amazon Resource Name (ARN) of the role".
   */
  ROLE_UNKNOWN(
      "a role is not in the registry",
      "add the role to the registry or correct the ARN"),
  /**
   * The first role is not attached to the session's cluster. Seed: "The first role in the chain
   * must be a role attached to the cluster."; "Associate the role with your cluster."
   */
  ROLE_NOT_ATTACHED(
      "the first role is not attached to the session's cluster",
      "attach the role to the cluster (attached_roles) or start with an attached role"),
  /**
   * Role i may not assume role i+1. Seed: "A role that assumes another role (for example, RoleA)
   * must have a permissions policy that allows it to assume the next chained role"; "This
   * statement has the Allow effect on the sts:AssumeRole action and the Amazon Resource Name
   * (ARN) of the next role in a Resource element."
   */
  CHAIN_NOT_PERMITTED(
      "role i may not assume role i+1 (permission side)",
      "allow sts:AssumeRole on the next role (allow.assume)"),
  /**
   * Role i+1 does not trust role i or its account root. Seed: "the role that passes permissions
   * (RoleB) must have a trust policy that allows it to pass its permissions to the previous
   * chained role (RoleA)"; "A role that passes to another role must establish a trust
   * relationship with the role that assumes the role or with the AWS account that owns the role."
   */
  CHAIN_NOT_TRUSTED(
      "role i+1 does not trust role i or its account root (trust side)",
      "trust the previous role or its account root (trust.principals)"),
  /**
   * A role's sts:ExternalId condition excludes the session's database user ARN. Seed: "Add a
   * condition to the sts:AssumeRole action section of the trust relationship that limits the
   * sts:ExternalId field to values that you specify. Include an ARN for each database user that
   * you want to grant access to the role."; "To restrict role chaining authorization to specific
   * users, define a condition."
   */
  DB_USER_NOT_TRUSTED(
      "a role's ExternalId condition excludes the session's dbuser ARN",
      "run as a trusted user or add the dbuser ARN to the trust (trust.db_users)"),
  /**
   * The first role's trusted Redshift regions exclude the cluster's region. Seed: "Modify the
   * Service list for the Principal with the list of the specific regions that you want to permit
   * use of the role for."
   */
  REGION_NOT_TRUSTED(
      "the first role's trusted regions exclude the cluster's region",
      "trust redshift.<region>.amazonaws.com (trust.regions)"),
  /**
   * Grants exist and none covers the user (or a group, role or PUBLIC), the exact chain and the
   * command. Seed: "a superuser can grant the ASSUMEROLE privilege to specific users and groups to
   * provide access to a role for COPY and UNLOAD operations"; facts 4: "A chained grant must match
   * the chain exactly".
   */
  ASSUMEROLE_NOT_GRANTED(
      "grants exist and none covers user/group/role, exact chain and command",
      "GRANT ASSUMEROLE ON the chain TO the user FOR the command"),
  /**
   * An S3 location is outside the last role's read (COPY, LIBRARY) or write (UNLOAD, CREATE MODEL)
   * prefixes. Seed: "we recommend enforcing the least privileges and restricting to only the
   * Amazon S3 buckets and key prefixes that Amazon Redshift requires."
   */
  S3_NOT_PERMITTED(
      "an S3 location is outside the last role's read or write prefixes",
      "use a permitted prefix or grant it (allow.s3_read / allow.s3_write)"),
  /**
   * A COPY source that is not on S3 (a DynamoDB table, an EMR cluster) is not allowed for the last
   * role or for the access keys. COPY usage notes: "To move data between your cluster and another
   * AWS resource, such as Amazon S3, Amazon DynamoDB, Amazon EMR, or Amazon EC2, your cluster must
   * have permission to access the resource and perform the necessary actions."
   */
  SOURCE_NOT_PERMITTED(
      "a DynamoDB table or EMR cluster COPY reads is not allowed for the last role or the keys",
      "allow the table or cluster (allow.dynamodb_tables / allow.emr_clusters, or policy.keys)"),
  /**
   * The Lambda function is not allowed for the last role. Seed: "For access to invoke Lambda
   * functions for the CREATE EXTERNAL FUNCTION command, add AWSLambdaRole."
   */
  LAMBDA_NOT_PERMITTED(
      "the Lambda function is not allowed for the last role",
      "allow the function (allow.lambda)"),
  /**
   * The Glue/Athena database is not allowed for the last role (or the catalog role). Seed: "For
   * Redshift Spectrum, in addition to Amazon S3 access, add AWSGlueConsoleFullAccess or
   * AmazonAthenaFullAccess."
   */
  CATALOG_NOT_PERMITTED(
      "the Glue/Athena database is not allowed for the last role",
      "allow the database (allow.glue_databases)"),
  /**
   * {@code IAM_ROLE 'SESSION'} or {@code CATALOG_ROLE 'SESSION'}: the caller's federated identity,
   * whose permissions the registry cannot describe. Facts 3: CREATE/ALTER EXTERNAL SCHEMA and
   * CREATE DATABASE accept {@code 'SESSION'}; issue 11: "the guard cannot see that user's
   * permissions: deny by default". Registry switch {@code policy.session_role}.
   */
  SESSION_ROLE(
      "IAM_ROLE 'SESSION' or CATALOG_ROLE 'SESSION' unless policy.session_role allows it",
      "name a role ARN, or set policy.session_role: allow"),
  /**
   * {@code COPY JOB RUN}: the stored job's role and source are not in the statement. COPY JOB:
   * "Run a copy job. The stored COPY command parameters are used." A warning unless
   * {@code policy.copy_job_run} says {@code deny} (or {@code allow}).
   */
  COPY_JOB_UNCHECKED(
      "(warning) COPY JOB RUN runs a stored job whose role and source cannot be checked",
      "create jobs through the guard, or set policy.copy_job_run"),
  /**
   * {@code COPY ... JOB CREATE} with {@code IAM_ROLE default}, keys, CREDENTIALS or a MANIFEST.
   * COPY JOB: "COPY JOB doesn't support the default IAM role associated with the cluster. You must
   * specify the IAM_ROLE in the COPY command"; "Only COPY commands that use the IAM_ROLE parameter
   * for authorization are supported"; "You can't specify a manifest file."
   */
  COPY_JOB_REFUSED(
      "COPY ... JOB CREATE with IAM_ROLE default, keys, CREDENTIALS or MANIFEST, which Redshift refuses",
      "name the role: IAM_ROLE '<ARN>', and a source prefix without MANIFEST"),
  /**
   * (Warning) An external table's S3 location (CREATE EXTERNAL TABLE, CETAS, ALTER TABLE ...
   * LOCATION, INSERT into it) whose schema's role the guard does not know: neither an external
   * schema created through the guard in the same script or connection nor one in the registry's
   * {@code external_schemas}. Facts 3: "CREATE EXTERNAL TABLE | none (uses the schema's role)". A
   * denial under {@code policy.unknown_external_schema: deny}.
   */
  EXTERNAL_SCHEMA_UNKNOWN(
      "(warning) an external table location whose schema's role the guard does not know",
      "list the schema under external_schemas, or create it through the guard"),
  /**
   * {@code IAM_ROLE default} while the cluster has no default role. Facts 5: "Default role: one per
   * cluster (default_iam_role() shows it), resolved when the statement runs."
   */
  DEFAULT_ROLE_MISSING(
      "IAM_ROLE default and the cluster has no default role",
      "name the role, or set the cluster's default_role"),
  /**
   * Access keys without a session token. Seed: "(Not recommended) Use long-term credentials";
   * "For COPY and UNLOAD, you can provide temporary credentials."
   */
  LONG_TERM_KEYS(
      "access keys without a session token",
      "use IAM_ROLE, or temporary credentials with SESSION_TOKEN"),
  /**
   * Any key-based credentials while {@code credentials: roles-only}. Seed: "The preferred method to
   * supply security credentials is to specify an AWS Identity and Access Management (IAM) role."
   */
  STATIC_KEYS(
      "any key-based credentials while credentials: roles-only",
      "use IAM_ROLE"),
  /**
   * A check that depends on the database user (ASSUMEROLE grants to users, groups or roles; a
   * trust policy's sts:ExternalId) while the guard does not know who runs the statement: the server
   * could not report it, or nothing names the user. Facts 4: grants are per user, group or role;
   * facts 5: "user restriction = Condition StringEquals sts:ExternalId [dbuser ARNs]".
   */
  IDENTITY_UNKNOWN(
      "a check needs the database user (grants, trust.db_users) and the guard does not know it",
      "connect to a target that reports its user, or on H2 give the user (iamguard.user)"),
  /**
   * An auth-carrying statement after a statement of the same execution (text or batch) that may
   * change the session identity (SET SESSION AUTHORIZATION in any form, set_config, SET ROLE, CALL,
   * ...) on a connection whose identity the server reports: who runs it is only known once the
   * change has run. Facts 5: "After IAM login the session user is ..."; the checked user must be
   * the server's.
   */
  IDENTITY_CHANGED_IN_TEXT(
      "an earlier statement of the same text or batch may change the session identity",
      "send the identity change and the auth-carrying statement in separate executions"),
  /**
   * {@code GRANT ASSUMEROLE ON ALL TO PUBLIC} while grants are enforced (a {@code grants} section,
   * or an earlier {@code REVOKE ... FROM PUBLIC}): it gives every user every role again. Facts 4:
   * "enforcement begins after REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL, then per-principal grants".
   */
  GRANT_ALL_TO_PUBLIC(
      "GRANT ASSUMEROLE ON ALL TO PUBLIC while grants are enforced (it undoes the lockdown for every user)",
      "grant the chains each user needs to that user, group or role"),
  /**
   * A procedure body's dynamic SQL whose text is not constant ({@code EXECUTE} of a variable, a
   * function call, a concatenation with anything but literals): what it runs, auth clauses
   * included, is only known at run time. Constant texts are decided like top-level statements.
   * Facts 3: "Stored procedure bodies can contain COPY/UNLOAD, literally or as dynamic
   * EXECUTE '...' strings." A warning only under {@code policy.dynamic_sql: warn}.
   */
  AUTH_DYNAMIC(
      "a procedure body's EXECUTE whose text is not constant (constant texts are decided like statements); "
          + "a warning only under policy.dynamic_sql: warn",
      "write the statement literally in the body, or EXECUTE a constant text");

  private final String description;
  private final String remedy;

  RuleId(String description, String remedy) {
    this.description = description;
    this.remedy = remedy;
  }

  /** What the rule denies, in one line (the README's rule catalogue and SARIF use it). */
  public String description() {
    return description;
  }

  /** The usual fix, in one line. */
  public String remedy() {
    return remedy;
  }

  /**
   * The default severity: a warning for {@link #COPY_JOB_UNCHECKED} and
   * {@link #EXTERNAL_SCHEMA_UNKNOWN}, an error for every other rule ({@link #AUTH_DYNAMIC} included).
   * A registry switch may change it for one finding ({@link Finding#severity()}): {@code policy.copy_job_run},
   * {@code policy.unknown_external_schema}, {@code policy.dynamic_sql}.
   */
  public Severity severity() {
    return this == COPY_JOB_UNCHECKED || this == EXTERNAL_SCHEMA_UNKNOWN ? Severity.WARNING : Severity.ERROR;
  }
}
