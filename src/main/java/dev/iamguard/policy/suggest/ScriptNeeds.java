package dev.iamguard.policy.suggest;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.ExternalCatalog;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ChainConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.sql.AuthClause;
import dev.iamguard.sql.AuthForm;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.Problem;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.Resources;
import dev.iamguard.sql.S3Location;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the statements of the scripts, in order, and collects what each role needs for every one
 * of them to be allowed: the statements are resolved as the guard resolves them (role ARNs; with a
 * registry its aliases, chain names, DEFAULT and external schemas), the session they leave (SET
 * SESSION AUTHORIZATION, external schemas and tables created) carries to the next, and whatever
 * cannot be resolved becomes a {@link Gap}. Not thread-safe: feed it one statement at a time.
 */
public final class ScriptNeeds {
  private static final Pattern DYNAMODB_TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  private static final Pattern EMR_CLUSTER = Pattern.compile("j-[A-Za-z0-9]{1,64}");
  /**
   * A catalog database name as a Glue database ARN may hold it ({@code AwsResourceArns}): {@code *}
   * and {@code ?} would be wildcards in the registry's {@code glue_databases} and in the documents'
   * Resource, and a {@code /} would reach into the {@code table/<database>/<table>} ARNs of another database.
   */
  private static final Pattern CATALOG_DATABASE = Pattern.compile("[^/*?\\s]{1,255}");
  /**
   * A KMS key ARN, the only form of KMS_KEY_ID a policy's Resource can name: an alias (or its ARN)
   * and a bare key id name a key whose ARN the scripts do not say.
   */
  private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]{1,128}");
  /**
   * What S3 asks of the role for objects written with SSE-KMS under the key KMS_KEY_ID names:
   * kms:GenerateDataKey for each upload, kms:Decrypt for multipart uploads and reading them back
   * ("To upload or download an object encrypted with an AWS KMS key ... kms:GenerateDataKey and
   * kms:Decrypt"), and kms:Encrypt, which the UNLOAD pages ask for with KMS_KEY_ID.
   */
  private static final List<String> KMS_WRITE = List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
  /**
   * What a model trained in SageMaker asks of the role, on every resource (Redshift names the jobs):
   * the more restrictive policy of "Cluster setup for using Amazon Redshift ML" (Database Developer
   * Guide) without its {@code sagemaker:*Job*}, whose SageMaker actions are those the corpus's Redshift
   * ML permissions name (the Create and Describe of AutoML, training and compilation jobs; the
   * compilation job's Describe is of {@code *Job*} too); its S3 and KMS needs are the S3_BUCKET's and
   * KMS_KEY_ID's, recorded as for any location and key.
   */
  static final List<String> TRAINING = List.of("cloudwatch:PutMetricData", "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer", "logs:CreateLogGroup",
      "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents", "sagemaker:CreateAutoMLJob",
      "sagemaker:CreateCompilationJob", "sagemaker:CreateTrainingJob", "sagemaker:DescribeAutoMLJob",
      "sagemaker:DescribeCompilationJob", "sagemaker:DescribeTrainingJob");
  /** A SageMaker endpoint name (CreateEndpoint's EndpointName), or its ARN. */
  private static final Pattern SAGEMAKER_ENDPOINT = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  private static final Pattern SAGEMAKER_ENDPOINT_ARN = Pattern.compile(
      "arn:(aws(-[a-z]+)*):sagemaker:([a-z0-9-]+):([0-9]{12}):endpoint/([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})");
  /**
   * A complete secret ARN: Secrets Manager ends the ARN with six random characters after the name, and a
   * GetSecretValue request names the secret by that ARN, so an ARN without them (or a name) is no
   * Resource that grants exactly that secret.
   */
  private static final Pattern SECRET_ARN = Pattern.compile(
      "arn:(aws(-[a-z]+)*):secretsmanager:([a-z0-9-]+):([0-9]{12}):secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}");
  /** A Bedrock foundation model id ({@code provider.model[:version]}), or a foundation model's ARN. */
  private static final Pattern BEDROCK_MODEL = Pattern.compile("[a-z0-9-]+\\.[A-Za-z0-9._:-]{1,200}");
  private static final Pattern BEDROCK_MODEL_ARN = Pattern.compile(
      "arn:(aws(-[a-z]+)*):bedrock:([a-z0-9-]+)::foundation-model/[a-z0-9-]+\\.[A-Za-z0-9._:-]{1,200}");
  /**
   * The geographies of Bedrock's cross-region inference profiles ({@code us.anthropic...}): such an id
   * names a profile, whose models in several regions the statement does not say.
   */
  private static final Set<String> INFERENCE_PROFILES = Set.of("us", "eu", "apac", "us-gov", "jp", "au", "ca",
      "global");
  private static final Map<CommandKind, GrantConfig.Command> GRANTED = new EnumMap<>(Map.of(
      CommandKind.COPY, GrantConfig.Command.COPY,
      CommandKind.UNLOAD, GrantConfig.Command.UNLOAD,
      CommandKind.CREATE_EXTERNAL_FUNCTION, GrantConfig.Command.EXTERNAL_FUNCTION,
      CommandKind.CREATE_MODEL, GrantConfig.Command.CREATE_MODEL,
      CommandKind.CREATE_EXTERNAL_MODEL, GrantConfig.Command.CREATE_MODEL));
  private static final Set<CommandKind> AUTH_CARRYING = EnumSet.of(CommandKind.COPY, CommandKind.UNLOAD,
      CommandKind.CREATE_LIBRARY, CommandKind.CREATE_EXTERNAL_SCHEMA, CommandKind.ALTER_EXTERNAL_SCHEMA,
      CommandKind.CREATE_EXTERNAL_FUNCTION, CommandKind.CREATE_MODEL, CommandKind.CREATE_EXTERNAL_MODEL,
      CommandKind.CREATE_DATABASE, CommandKind.CREATE_IDENTITY_PROVIDER, CommandKind.ALTER_IDENTITY_PROVIDER);

  private final SuggestRequest request;
  private final Registry registry;
  private final ClusterConfig cluster;
  private final Map<RoleArn, RoleNeeds> roles = new LinkedHashMap<>();
  /** The roles by what IAM names them by ({@link #nameKey}): the first ARN the scripts use for each. */
  private final Map<String, RoleArn> byName = new HashMap<>();
  /**
   * Each GRANT/REVOKE ASSUMEROLE statement with the roles it names: the registry must know them,
   * which it does when some statement uses them. Where it stands, not the statement itself: that
   * holds its piece of the script (256K characters), one per statement kept.
   */
  private final List<NamedRoles> named = new ArrayList<>();

  /** A GRANT/REVOKE ASSUMEROLE statement's place (as a {@link Gap} names it) and the role ARNs it names. */
  private record NamedRoles(String file, int line, int column, String command, List<RoleArn> roles) {}
  /** Grant target ({@code default} or the chain) to user to commands. */
  private final Map<String, Map<String, Set<GrantConfig.Command>>> grants = new LinkedHashMap<>();
  private final Set<String> chainNames = new LinkedHashSet<>();
  private final Set<String> schemas = new LinkedHashSet<>();
  private final List<Gap> gaps = new ArrayList<>();
  /** Covered statements' needs the IAM documents do not grant, their resource unnamed: the suggestion is not complete. */
  private final List<Gap> ungranted = new ArrayList<>();
  /** Covered statements the short form cannot grant without widening ({@link Suggestion#shortFormGaps}). */
  private final List<Gap> shortFormGaps = new ArrayList<>();
  /**
   * External schemas created in the scripts (lower case), each with the ARN of its Glue database, or
   * empty for a source other than the Data Catalog (Hive, PostgreSQL, ...), whose tables Glue does not hold.
   * The first CREATE counts: Redshift keeps a schema that exists.
   */
  private final Map<String, Optional<String>> schemaDatabases = new HashMap<>();
  /**
   * The CATALOG_ROLE chain of each external schema created in the scripts with one (lower case), as
   * {@link #schemaDatabases} records its database (the first CREATE counts). Redshift makes its Data
   * Catalog calls with it: "CATALOG_ROLE ... an IAM role that your cluster uses for authentication and
   * authorization for the data catalog. If CATALOG_ROLE isn't specified, Amazon Redshift uses the
   * specified IAM_ROLE" (CREATE EXTERNAL SCHEMA page), so the Glue actions of the schema's tables
   * are its last role's, while their S3 locations stay the IAM_ROLE's. An empty chain: the schema was
   * altered since (ALTER EXTERNAL SCHEMA), and whether ALTER keeps the CATALOG_ROLE is not documented.
   */
  private final Map<String, List<RoleArn>> schemaCatalogRoles = new HashMap<>();
  /**
   * Each user the scripts are run as, with the session the guard leaves after the statements read
   * so far: who runs the next statement is decided by the guard's own rules ({@link Guard#inspect(
   * SqlScript, Session, Guard.Observer)}), never by a second reading of the identity statements.
   */
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  /**
   * Where each procedure of the scripts was created, by its CREATE statement as the guard records
   * it (read alone): the file, and the statement as read in it, whose body's lines gaps name.
   */
  private final Map<SqlStatement, Defined> definedIn = new java.util.IdentityHashMap<>();

  private record Defined(String file, SqlStatement statement) {}
  /**
   * What covered statements need of services the IAM documents do not grant (Secrets Manager for a
   * SECRET_ARN, SageMaker, the files a manifest lists), each once, in first-seen order: a note says so.
   */
  private final Set<String> unmodelled = new LinkedHashSet<>();
  /** Why the guard denies statements of the current piece whatever the registry (by statement number). */
  private final Map<Integer, String> refused = new HashMap<>();
  /** Decides who runs each statement (the registry's guard, or one of an empty registry). */
  private final Guard guard;
  /** The users the guard checks the current statement as. */
  private List<String> runners;
  /** Why the guard cannot know who runs the current statement; null when it knows. */
  private String unknownRunner;
  private ExternalCatalog catalog = ExternalCatalog.NONE;
  private boolean usedDefault;
  private int statements;
  private int resolved;

  /**
   * Needs for {@code request}.
   *
   * @throws IllegalArgumentException when the cluster, its account or region cannot be known
   */
  public ScriptNeeds(SuggestRequest request) {
    this.request = request;
    this.registry = request.registry().orElse(null);
    this.cluster = cluster(request, registry);
    this.runners = request.users().stream().map(u -> u.toLowerCase(Locale.ROOT)).toList();
    for (String user : request.users()) {
      sessions.put(user, new Session(user, List.of(), List.of(), cluster.id()));
    }
    if (sessions.isEmpty()) {
      // no user named: the roles are for every user, but whether the guard can know who runs a
      // statement does not depend on who logged in, so a stand-in login still tells it (its name
      // is never needed: runners stay empty)
      sessions.put(null, new Session("any user", List.of(), List.of(), cluster.id()));
    }
    this.guard = new Guard(registry != null ? registry : emptyRegistry());
  }

  /** A registry of nothing: its guard follows the identity as any other does (no rule looks at the registry there). */
  private static Registry emptyRegistry() {
    try {
      return RegistryLoader.parse("version: 1\n", "(no registry)", java.nio.file.Path.of("."));
    } catch (RegistryException e) {
      throw new IllegalStateException("the empty registry does not load", e);
    }
  }

  private static ClusterConfig cluster(SuggestRequest request, Registry registry) {
    if (registry != null) {
      if (request.account() != null || request.region() != null || request.defaultRole() != null) {
        throw new IllegalArgumentException("--account, --region and --default-role are for a registry from scratch: "
            + "with --registry, the registry's cluster says them");
      }
      List<ClusterConfig> clusters = registry.clusters();
      if (request.clusterId() == null && clusters.size() != 1) {
        throw new IllegalArgumentException("--cluster is required: " + registry.source() + " describes clusters "
            + clusters.stream().map(ClusterConfig::id).toList());
      }
      ClusterConfig known = request.clusterId() == null ? clusters.get(0) : registry.cluster(request.clusterId())
          .orElseThrow(() -> new IllegalArgumentException("--cluster " + request.clusterId() + " is not in "
              + registry.source() + " (clusters: " + clusters.stream().map(ClusterConfig::id).toList() + ")"));
      return known;
    }
    List<String> missing = new ArrayList<>();
    if (request.clusterId() == null) {
      missing.add("--cluster ID");
    }
    if (request.account() == null) {
      missing.add("--account ID");
    }
    if (request.region() == null) {
      missing.add("--region REGION");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("without --registry, give " + String.join(", ", missing)
          + ": the registry and the trust policies name the cluster's account and region");
    }
    String accountProblem = RoleArn.accountProblem(request.account());
    if (accountProblem != null) {
      throw new IllegalArgumentException("--account " + request.account() + ": " + accountProblem);
    }
    Optional<RoleArn> defaultRole = Optional.empty();
    if (request.defaultRole() != null) {
      RoleArn.Parsed parsed = RoleArn.parse(request.defaultRole());
      defaultRole = Optional.of(parsed.arn().orElseThrow(() -> new IllegalArgumentException("--default-role "
          + request.defaultRole() + ": " + parsed.problem().orElse("not a role ARN"))));
    }
    return new ClusterConfig(request.clusterId(), request.account(), request.region(), List.of(), defaultRole,
        false, 0);
  }

  /** The cluster the suggestion is for (from the registry, or as the request names it). */
  public ClusterConfig cluster() {
    return cluster;
  }

  /**
   * Takes a script of {@code file}, or its next piece, into account: each statement is needed for
   * the users the guard, run as each given user from the session the earlier pieces left, checks
   * it as; an auth-carrying statement whose runner the guard cannot know is a gap.
   */
  public void add(String file, SqlScript piece) {
    Map<Integer, List<Session>> seen = follow(piece);
    for (SqlStatement statement : piece.statements()) {
      runAs(seen.get(statement.index()));
      takeChecked(file, statement, statement.index());
      procedures(file, statement, statement, seen.get(statement.index()));
    }
  }

  /**
   * Records where a CREATE PROCEDURE ({@code decided}, as the guard read it; {@code statement}, as
   * read in {@code file}) stands, and takes what a CALL or DO block runs of the scripts' procedures.
   */
  private void procedures(String file, SqlStatement statement, SqlStatement decided, List<Session> decidedIn) {
    if (decided.command().kind() == CommandKind.CREATE_PROCEDURE) {
      definedIn.put(decided, new Defined(file, statement));
    }
    if (decidedIn != null) {
      takeCalledBodies(file, statement, decidedIn);
    }
  }

  /**
   * Rules whose denial no registry suggest writes can lift: the statement itself (no or an
   * unreadable auth clause, a bind parameter, a malformed chain) or the text around it (an
   * identity change before it) is refused. A statement check denies for one of them is a gap.
   */
  private static final Set<RuleId> STATEMENT_RULES = EnumSet.of(RuleId.AUTH_UNPARSEABLE, RuleId.AUTH_PARAMETER,
      RuleId.AUTH_CONFLICT, RuleId.ARN_MALFORMED, RuleId.CHAIN_FORMAT, RuleId.CHAIN_TOO_LONG,
      RuleId.IDENTITY_CHANGED_IN_TEXT, RuleId.AUTH_DYNAMIC, RuleId.SESSION_ROLE, RuleId.COPY_JOB_REFUSED);

  /**
   * {@link #take}, then a gap when the guard denied the statement (its number {@code decidedAs} in
   * the text the guard decided) for a {@link #STATEMENT_RULES} rule and take found none.
   */
  private void takeChecked(String file, SqlStatement statement, int decidedAs) {
    int before = gaps.size();
    take(file, statement);
    String why = refused.get(decidedAs);
    if (why != null && gaps.size() == before) {
      gap(new Where(file, statement, statement.command().kind().toString()), "check denies it: " + why);
    }
    unreadSchema(statement.command(), before);
  }

  /**
   * A CREATE EXTERNAL SCHEMA suggest could not cover (since {@code gapsBefore}) may still create its
   * schema, with a role chain the scripts do not say: a later one of the same name is not covered.
   */
  private void unreadSchema(RedshiftCommand command, int gapsBefore) {
    if (command.kind() == CommandKind.CREATE_EXTERNAL_SCHEMA && command.objectName() != null
        && gaps.size() > gapsBefore
        && catalog.schema(ExternalCatalog.schemaName(command.objectName())).isEmpty()) {
      catalog = catalog.withSchema(command.objectName(), List.of());
    }
  }

  /**
   * Takes one statement of {@code file} into account, as the next piece of the script (a piece of
   * one statement: the guard decides a script piece by piece with the same result).
   */
  public void add(String file, SqlStatement statement) {
    SqlScript alone = SqlScript.parse(statement.text());
    Map<Integer, List<Session>> seen = follow(alone);
    runAs(alone.statementCount() == 1 && !alone.statements().isEmpty()
        ? seen.get(alone.statements().get(0).index()) : null);
    takeChecked(file, statement, alone.statements().isEmpty() ? 0 : alone.statements().get(0).index());
    if (alone.statementCount() == 1 && !alone.statements().isEmpty()) {
      SqlStatement decided = alone.statements().get(0);
      procedures(file, statement, decided, seen.get(decided.index()));
    }
  }

  /**
   * Takes the bodies of the scripts' procedures that {@code call} (a CALL or a DO block) runs, each
   * run by who runs it then ({@link CalledBodies}); the CALL counts once, as covered when a body it
   * runs is. Before, a body counted as its creator's only, so a CALL by another user was left out
   * of the trust and grants suggested, and check then denied it.
   */
  private void takeCalledBodies(String file, SqlStatement call, List<Session> decidedIn) {
    List<String> callersBefore = runners;
    String unknownBefore = unknownRunner;
    int counted = statements;
    int resolvedBefore = resolved;
    String label = call.calledProcedure() != null ? "CALL" : call.command().kind().toString();
    for (Session session : decidedIn) {
      CalledBodies bodies = CalledBodies.of(call, session);
      if (bodies.refusal() != null) {
        gap(new Where(file, call, label), "what it runs cannot be followed: "
            + bodies.refusal());
      }
      for (CalledBodies.Run run : bodies.runs()) {
        runners = request.users().isEmpty() ? List.of() : run.users();
        unknownRunner = run.unknown();
        Defined defined = definedIn.getOrDefault(run.procedure().definition(),
            new Defined(file, run.procedure().definition()));
        int before = gaps.size();
        int shortFormBefore = shortFormGaps.size();
        for (SqlStatement inner : defined.statement().command().body()) {
          take(defined.file(), inner);
        }
        for (SqlStatement insert : defined.statement().command().bodyInserts()) {
          externalInsert(defined.file(), insert);
        }
        // what check denies is the CALL: its gap names the body's statement
        onCall(gaps, before, file, call, label, run);
        onCall(shortFormGaps, shortFormBefore, file, call, label, run);
      }
    }
    statements = counted;
    resolved = resolvedBefore + (resolved > resolvedBefore ? 1 : 0);
    runners = callersBefore;
    unknownRunner = unknownBefore;
  }

  /** Makes the gaps of {@code list} from {@code before} on the CALL's, each naming the body's statement. */
  private static void onCall(List<Gap> list, int before, String file, SqlStatement call, String label,
      CalledBodies.Run run) {
    for (int i = before; i < list.size(); i++) {
      Gap body = list.get(i);
      list.set(i, new Gap(file, call.line(), call.column(), label, "it runs "
          + String.join(".", run.procedure().name()) + ", whose " + body.command() + " (" + body.file() + ":"
          + body.line() + ":" + body.column() + "): " + body.reason()));
    }
  }

  /** The sessions the guard decides each statement of {@code piece} in (by statement number), one per user. */
  private Map<Integer, List<Session>> follow(SqlScript piece) {
    Map<Integer, List<Session>> seen = new HashMap<>();
    refused.clear();
    for (Map.Entry<String, Session> user : sessions.entrySet()) {
      Decision decision = guard.inspect(piece, user.getValue(),
          (statement, session) -> seen.computeIfAbsent(statement.index(), i -> new ArrayList<>()).add(session));
      for (StatementDecision decided : decision.statements()) {
        if (decided.verdict() == Verdict.DENY) {
          for (Finding finding : decided.findings()) {
            if (finding.severity() == Severity.ERROR && STATEMENT_RULES.contains(finding.rule())) {
              refused.putIfAbsent(decided.statement().index(), finding.message());
              break;
            }
          }
        }
      }
      user.setValue(decision.sessionAfter());
    }
    return seen;
  }

  /** Who runs the next statement: the users of {@code decidedIn}, or none known (null: not decided). */
  private void runAs(List<Session> decidedIn) {
    if (decidedIn == null || decidedIn.size() != sessions.size()) {
      runners = List.of();
      unknownRunner = "the guard did not decide it";
      return;
    }
    List<String> users = new ArrayList<>(decidedIn.size());
    String why = null;
    for (Session session : decidedIn) {
      if (session.identityKnown()) {
        if (!users.contains(session.user())) {
          users.add(session.user());
        }
      } else if (why == null) {
        why = session.note() == null ? "the user is not known" : session.note();
      }
    }
    runners = request.users().isEmpty() ? List.of() : List.copyOf(users); // none named: every user
    unknownRunner = why;
  }

  /** Takes one statement into account, run by {@link #runners}. */
  private void take(String file, SqlStatement statement) {
    statements++;
    RedshiftCommand command = statement.command();
    if (command.kind() == CommandKind.OTHER && command.problems().isEmpty()) {
      externalInsert(file, statement);
      catalog = catalog.afterRename(statement);
      return;
    }
    Where where = new Where(file, statement, command.kind().toString());
    if (command.kind() == CommandKind.ALTER_EXTERNAL_SCHEMA && command.objectName() != null) {
      // read or not, it may have run: the catalog role it leaves is not documented (schemaCatalogRoles)
      schemaCatalogRoles.computeIfPresent(ExternalCatalog.schemaName(command.objectName()), (s, c) -> List.of());
    }
    if (command.isUnparseable()) {
      for (Problem problem : command.problems()) {
        gap(where, (problem.kind() == Problem.Kind.PARAMETER ? "a bind parameter: " : "cannot be read: ")
            + problem.reason());
      }
      return;
    }
    switch (command.kind()) {
      case SET_SESSION_AUTHORIZATION -> { } // the guard follows it (follow), and suggest with it
      case GRANT_ASSUMEROLE, REVOKE_ASSUMEROLE -> grantStatement(where, command);
      case CREATE_PROCEDURE, DO_BLOCK -> procedure(file, where, command); // a DO block's code runs now, as a body
      case CREATE_EXTERNAL_TABLE, ALTER_EXTERNAL_TABLE, INSERT_EXTERNAL_TABLE -> externalTable(where, command);
      default -> {
        if (AUTH_CARRYING.contains(command.kind())) {
          authCarrying(where, command);
        }
      }
    }
  }

  private record Where(String file, SqlStatement statement, String command) {}

  /**
   * Records a gap; a reason that quotes the statement (a role text, a name) never quotes a secret
   * value of it: keys written where a role or a name was expected would otherwise be printed.
   */
  private void gap(Where where, String reason) {
    gaps.add(masked(where, reason));
  }

  /** A gap of {@code where} for {@code reason}, no secret value of the statement quoted. */
  private static Gap masked(Where where, String reason) {
    String said = reason;
    for (String secret : secrets(where)) {
      said = said.replace(secret, "***");
    }
    return new Gap(where.file(), where.statement().line(), where.statement().column(), where.command(), said);
  }

  /**
   * Records that a covered statement needs {@code permission}, which the documents do not grant (its
   * resource is not named): the suggestion is then not complete. The permission quotes no value of
   * the statement but a schema name, so it holds no secret (masking as {@link #gap} does would mangle
   * it where a key is as short as a word of it).
   */
  private void ungranted(Where where, String permission) {
    ungranted.add(new Gap(where.file(), where.statement().line(), where.statement().column(), where.command(),
        permission));
  }

  /** The secret values the statement holds (keys, tokens, passwords), as written. */
  private static List<String> secrets(Where where) {
    String text = where.statement().text();
    List<String> secrets = new ArrayList<>(0);
    for (dev.iamguard.sql.Span span : dev.iamguard.sql.SecretSpans.find(text)) {
      if (span.end() > span.start()) {
        secrets.add(text.substring(span.start(), span.end()));
      }
    }
    return secrets;
  }

  /**
   * Whether a role text holds one of the statement's secret values: a role path may hold almost
   * any character, so {@code role/Loader,aws_secret_access_key=...} reads as one ARN, which suggest
   * would otherwise write into the registry, the grants and the IAM documents; a gap instead.
   */
  private boolean holdsSecret(Where where, String roleText) {
    for (String secret : secrets(where)) {
      if (roleText.contains(secret)) {
        gap(where, "the role text holds a key, token or password value (masked here): suggest writes roles, "
            + "never keys");
        return true;
      }
    }
    return false;
  }

  private void procedure(String file, Where where, RedshiftCommand command) {
    // CREATE PROCEDURE runs nothing: a SET SESSION AUTHORIZATION of the body does not change who
    // runs the script's next statements, nor the body's next ones: the guard decides the body's
    // statements in the session of the CREATE PROCEDURE
    for (SqlStatement inner : command.body()) {
      take(file, inner);
      statements--; // the procedure counts once
    }
    for (SqlStatement insert : command.bodyInserts()) {
      externalInsert(file, insert);
    }
    if (!command.dynamicAuth().isEmpty()) {
      gap(where, "dynamic SQL: the " + (command.kind() == CommandKind.DO_BLOCK ? "DO block" : "procedure body")
          + " builds " + command.dynamicAuth().size()
          + " auth clause(s) at run time (EXECUTE), whose roles and locations cannot be known before it runs");
    }
  }

  private void grantStatement(Where where, RedshiftCommand command) {
    List<RoleArn> arns = null; // recorded at the first ARN, as those before a refused one stay recorded
    for (String written : command.grant().roles()) {
      if (holdsSecret(where, written)) {
        return;
      }
      for (String element : RoleArn.splitChain(written)) {
        RoleArn.Parsed parsed = RoleArn.parse(element);
        if (parsed.arn().isPresent() && !sqlSafe(where, parsed.arn().get())) {
          return;
        }
        if (parsed.arn().isPresent()) {
          if (arns == null) {
            arns = new ArrayList<>();
            named.add(new NamedRoles(where.file(), where.statement().line(), where.statement().column(), where.command(),
                arns));
          }
          arns.add(parsed.arn().get());
        } else {
          gap(where, "'" + element + "' is not a role ARN (GRANT ASSUMEROLE takes ARNs only)");
        }
      }
    }
  }

  private void authCarrying(Where where, RedshiftCommand command) {
    AuthClause auth = command.auth();
    if (auth.usesKeys()) {
      gap(where, "access keys name no role: replace them with IAM_ROLE (suggest writes roles, never keys)");
      return;
    }
    if (auth.form() == AuthForm.NONE) {
      return;
    }
    if (unknownRunner != null) {
      gap(where, "who runs it cannot be known before it is sent (" + unknownRunner + "): the database user may "
          + "change in a way the guard does not follow (SET ROLE, SET LOCAL, set_config, RESET ALL, DISCARD, CALL, "
          + "a procedure's SET clause or unnamed owner, or a transaction end or rollback after SET SESSION "
          + "AUTHORIZATION), so check denies it (IDENTITY_CHANGED_IN_TEXT or IDENTITY_UNKNOWN); send it in an execution of its own");
      return;
    }
    Optional<String> conflict = dev.iamguard.policy.rules.AuthConflicts.problem(auth);
    if (conflict.isPresent()) {
      gap(where, "the guard denies it: " + conflict.get() + " (write IAM_ROLE once, with the whole chain)");
      return;
    }
    List<RoleArn> chain = chain(where, auth, command.catalogRoles());
    List<RoleArn> catalogChain = List.of();
    if (chain == null || !sqlSafe(where, chain) || !principalsNameable(where, chain) || !oneRolePerName(where, chain)) {
      return;
    }
    if (command.kind() == CommandKind.CREATE_EXTERNAL_SCHEMA && command.objectName() != null) {
      Optional<List<RoleArn>> known = catalog.schema(ExternalCatalog.schemaName(command.objectName()));
      if (known.isPresent() && known.get().isEmpty()) {
        gap(where, "schema " + command.objectName() + " is created earlier in the scripts by a statement that could "
            + "not be read; Redshift keeps an existing schema and its role, which the scripts do not say");
        return;
      }
    }
    List<String> catalogWritten = command.catalogRoles();
    if (!catalogWritten.isEmpty()) {
      if (catalogWritten.size() == 1 && AuthClause.isSessionWord(catalogWritten.get(0))) {
        gap(where, "CATALOG_ROLE 'SESSION' uses the caller's federated identity, which no role describes");
        return;
      }
      catalogChain = arns(where, catalogWritten, false);
      if (catalogChain == null) {
        return;
      }
    }
    List<Runnable> records = resources(where, command, chain, catalogChain);
    if (records == null || !nameable(where)) {
      return;
    }
    resolved++;
    unmodelled(command);
    use(chain);
    if (!catalogChain.isEmpty()) {
      use(catalogChain);
    }
    records.forEach(Runnable::run);
    encryption(where, command, chain.get(chain.size() - 1));
    services(where, command, chain);
    if (command.kind() == CommandKind.CREATE_EXTERNAL_SCHEMA && command.objectName() != null
        && registry().flatMap(r -> r.externalSchema(ExternalCatalog.schemaName(command.objectName()), cluster.id()))
            .isEmpty()) {
      // a schema the registry knows exists already: its CREATE here leaves its database as it was
      String schema = ExternalCatalog.schemaName(command.objectName());
      if (!schemaDatabases.containsKey(schema) && !catalogChain.isEmpty()) {
        schemaCatalogRoles.put(schema, catalogChain); // with its database: the first CREATE counts
      }
      schemaDatabases.putIfAbsent(schema,
          Optional.ofNullable(glueDatabaseArn(command.resources(), chain.get(chain.size() - 1))));
    }
    GrantConfig.Command granted = GRANTED.get(command.kind());
    if (granted != null) {
      String target = auth.isDefault() && (registry == null || !registry.settings().rewriteDefaultRole())
          ? "default" : join(chain);
      Map<String, Set<GrantConfig.Command>> byUser = grants.computeIfAbsent(target, t -> new LinkedHashMap<>());
      for (String user : runners) {
        byUser.computeIfAbsent(user, u -> EnumSet.noneOf(GrantConfig.Command.class)).add(granted);
      }
    }
    if ((command.kind() == CommandKind.CREATE_EXTERNAL_SCHEMA || command.kind() == CommandKind.ALTER_EXTERNAL_SCHEMA)
        && command.objectName() != null) {
      // as check judges it: a schema created again with another chain keeps its chain, which the scripts do not say
      catalog = catalog.withSchema(command.objectName(), catalog.chainAfter(command, chain, name -> registry == null
          ? Optional.empty() : registry.externalSchema(name, cluster.id()).map(ExternalSchemaConfig::chain)));
    }
  }

  /**
   * Whether a role ARN can be written into the single-quoted literal of the GRANT ASSUMEROLE that
   * suggest writes for a superuser to run; else a gap. A role path takes any printable ASCII (IAM
   * API, Path), so {@code role/x';grant(comment)all(comment)...;--/Loader} reads as one ARN whose quote would
   * end the literal and run what follows; a backslash may escape the quote where the server reads
   * escapes in literals. A comma (a name or path may hold one) splits the chain where Redshift reads it:
   * {@code role/x,arn:...:role/Evil} would be granted, and rewritten, as a chain of two roles.
   */
  private boolean sqlSafe(Where where, RoleArn arn) {
    String text = arn.toString();
    if (text.indexOf('\'') < 0 && text.indexOf('\\') < 0 && text.indexOf(',') < 0) {
      return true;
    }
    gap(where, "role " + text + " holds a quote, a backslash or a comma, which the GRANT ASSUMEROLE suggest writes "
        + "cannot hold safely (Redshift splits a chain at its commas)");
    return false;
  }

  /** Whether every role of the chain (aliases, chain names and DEFAULT resolved too) is {@link #sqlSafe}. */
  private boolean sqlSafe(Where where, List<RoleArn> chain) {
    for (RoleArn arn : chain) {
      if (!sqlSafe(where, arn)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether each role a later role of the chain trusts can be named as a trust policy's Principal:
   * a role path may hold {@code *}, {@code ?} and {@code $}, which a Principal can neither hold nor escape
   * (IAM refuses the document); else a gap.
   */
  private boolean principalsNameable(Where where, List<RoleArn> chain) {
    for (int i = 0; i + 1 < chain.size(); i++) {
      String text = chain.get(i).toString();
      if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('$') >= 0) {
        gap(where, "role " + text + " holds *, ? or $, which the trust policy of the role after it in the chain cannot "
            + "name as its Principal");
        return false;
      }
    }
    return true;
  }

  /**
   * Whether no role of the chain shares its account and name with a role of another path that an
   * earlier statement uses: IAM names a role by account and name alone, so the two cannot both
   * exist, and a registry holding both is refused; else a gap (the earlier use keeps its role).
   */
  private boolean oneRolePerName(Where where, List<RoleArn> chain) {
    Map<String, RoleArn> inChain = new HashMap<>();
    for (RoleArn arn : chain) {
      RoleArn known = byName.get(nameKey(arn));
      known = known != null ? known : inChain.putIfAbsent(nameKey(arn), arn);
      if (known != null && !known.equals(arn)) {
        gap(where, "role " + arn + " has the account and name of " + known + ", which the scripts also use "
            + "with another path; IAM names a role by its name alone, so only one of them can exist");
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code command} deletes keys under {@code location}: an UNLOAD with CLEANPATH, and CREATE
   * MODEL's S3_BUCKET unless S3_GARBAGE_COLLECT is OFF ("If set to ON, Amazon Redshift deletes the
   * artifacts in Amazon S3 after the training completes. The default is ON").
   */
  private static boolean deletes(RedshiftCommand command, S3Location location) {
    if (location.purpose() == S3Location.Purpose.MODEL_BUCKET) {
      dev.iamguard.sql.CommandOption collect = command.option("S3_GARBAGE_COLLECT");
      return collect == null || !"OFF".equalsIgnoreCase(collect.value());
    }
    return command.deletesUnder(location);
  }

  /**
   * The KMS key {@code command} encrypts or reads with: {@code role} is allowed its actions on a key
   * named by ARN; a key named otherwise, or a COPY of encrypted objects (whose key the statement
   * does not name), is a permission the documents do not grant.
   */
  private void encryption(Where where, RedshiftCommand command, RoleArn role) {
    dev.iamguard.sql.CommandOption key = command.option("KMS_KEY_ID");
    if (key != null) {
      String id = key.value();
      if (id != null && KMS_KEY_ARN.matcher(id).matches()) {
        allow(role, List.of(id), KMS_WRITE.toArray(String[]::new));
      } else {
        ungranted(where, String.join(", ", KMS_WRITE) + " on the KMS key KMS_KEY_ID names: it is no key ARN (an "
            + "alias or a key id), so the documents cannot name it; grant them on the key's ARN");
      }
    } else if (command.kind() == CommandKind.COPY && command.option("ENCRYPTED") != null) {
      ungranted(where, "kms:Decrypt on the KMS key of the encrypted objects it reads, if a KMS key encrypts them: "
          + "the statement does not name the key");
    } else if (command.kind() == CommandKind.UNLOAD && command.option("ENCRYPTED") != null
        && command.option("MASTER_SYMMETRIC_KEY") == null
        && !command.auth().credentialKeys().contains("master_symmetric_key")) {
      // without a root symmetric key (client-side encryption, no KMS) ENCRYPTED [AUTO] writes with the
      // bucket's default KMS key, if it has one (UNLOAD page: AUTO "fetches the default AWS KMS encryption
      // key on the target Amazon S3 bucket property"): a key the statement does not name; never quoted
      ungranted(where, String.join(", ", KMS_WRITE) + " on the bucket's default KMS key, if its default "
          + "encryption is SSE-KMS (ENCRYPTED without KMS_KEY_ID or MASTER_SYMMETRIC_KEY writes with it): the "
          + "statement does not name the key");
    }
  }

  /**
   * What {@code command} asks of services other than S3, KMS, Glue and Lambda with the last role of
   * {@code chain}: SageMaker for a model it trains or an endpoint it invokes, Secrets Manager for a
   * federated schema's secret, Bedrock for an external model; a Kinesis or MSK schema's stream or
   * topics, which the statement does not name. A need whose resource the statement does not name
   * exactly is a permission the documents do not grant.
   */
  private void services(Where where, RedshiftCommand command, List<RoleArn> chain) {
    RoleArn role = chain.get(chain.size() - 1);
    Resources resources = command.resources();
    if (resources.sagemaker() != null) {
      endpoint(where, resources.sagemaker(), role);
    } else if (command.kind() == CommandKind.CREATE_MODEL) {
      training(where, command, chain);
      jobArtifacts(where, command);
    }
    if (resources.secretArn() != null) {
      secret(where, resources.secretArn(), role);
    }
    if (command.kind() == CommandKind.CREATE_EXTERNAL_MODEL) {
      bedrock(where, command, chain);
    }
    dev.iamguard.sql.SchemaSource source = resources.schemaSource();
    if (source == dev.iamguard.sql.SchemaSource.KINESIS) {
      ungranted(where, "kinesis:DescribeStreamSummary, kinesis:GetShardIterator, kinesis:GetRecords, "
          + "kinesis:ListShards, kinesis:DescribeStream on the streams its materialized views read, and "
          + "kinesis:ListStreams: the statement names no stream (streaming ingestion from Kinesis)");
    } else if (source == dev.iamguard.sql.SchemaSource.MSK) {
      dev.iamguard.sql.CommandOption authentication = command.option("AUTHENTICATION");
      if (authentication == null || !"NONE".equalsIgnoreCase(authentication.value())) {
        ungranted(where, "kafka-cluster:Connect, kafka-cluster:DescribeTopic, kafka-cluster:ReadData, "
            + "kafka-cluster:AlterGroup, kafka-cluster:DescribeGroup on the cluster, the topics its materialized "
            + "views read and their groups, and kafka:GetBootstrapBrokers: the statement names no topic "
            + "(streaming ingestion from Amazon MSK)");
      }
    }
  }

  /**
   * {@code sagemaker:InvokeEndpoint} on the endpoint {@code SAGEMAKER 'endpoint'} names, in the cluster's
   * region and the role's account (an endpoint has no resource policy to let another account's role
   * invoke it): CREATE EXTERNAL FUNCTION and the remote CREATE MODEL invoke it, and train nothing.
   * SageMaker names resources in lower case in their ARNs; the name as written is granted too.
   */
  private void endpoint(Where where, String endpoint, RoleArn role) {
    java.util.regex.Matcher arn = SAGEMAKER_ENDPOINT_ARN.matcher(endpoint);
    List<String> resources;
    if (arn.matches() && arn.group(1).equals(role.partition()) && AwsResourceArns.isRegionName(arn.group(3))
        && arn.group(4).equals(role.account())) {
      String prefix = endpoint.substring(0, endpoint.indexOf(":endpoint/") + ":endpoint/".length());
      resources = spellings(prefix, arn.group(5));
    } else if (SAGEMAKER_ENDPOINT.matcher(endpoint).matches()) {
      resources = spellings("arn:" + role.partition() + ":sagemaker:" + cluster.region() + ":" + role.account()
          + ":endpoint/", endpoint);
    } else {
      ungranted(where, "sagemaker:InvokeEndpoint on the endpoint SAGEMAKER names: it is no SageMaker endpoint name "
          + "or endpoint ARN of the role's partition and account (an endpoint has no resource policy to let another "
          + "account's role invoke it), so the documents cannot grant it");
      return;
    }
    allow(role, resources, "sagemaker:InvokeEndpoint");
  }

  /** {@code prefix} followed by {@code name} in lower case (as SageMaker's ARNs hold it) and as written. */
  private static List<String> spellings(String prefix, String name) {
    return new ArrayList<>(new LinkedHashSet<>(List.of(prefix + name.toLowerCase(Locale.ROOT), prefix + name)));
  }

  /**
   * A model trained in SageMaker: the {@link #TRAINING} actions, {@code iam:PassRole} of the role to
   * SageMaker and SageMaker in its trust ("Cluster setup for using Amazon Redshift ML": the role is the
   * one SageMaker runs the jobs as). Which role of a chain Redshift passes the pages do not say: the
   * last one is granted, and the suggestion is not complete. Forecast models (MODEL_TYPE FORECAST) use
   * Amazon Forecast, which is not modelled.
   */
  private void training(Where where, RedshiftCommand command, List<RoleArn> chain) {
    dev.iamguard.sql.CommandOption type = command.option("MODEL_TYPE");
    if (type != null && "FORECAST".equalsIgnoreCase(type.value())) {
      ungranted(where, "the Amazon Forecast actions, iam:PassRole to forecast.amazonaws.com and "
          + "forecast.amazonaws.com in the trust of a Forecast model: suggest does not model Amazon Forecast");
      return;
    }
    RoleArn role = chain.get(chain.size() - 1);
    allow(role, List.of("*"), TRAINING.toArray(String[]::new));
    RoleNeeds needs = role(role);
    needs.passedTo.add("sagemaker");
    needs.services.add("sagemaker");
    if (chain.size() > 1) {
      ungranted(where, "iam:PassRole to sagemaker.amazonaws.com and sagemaker.amazonaws.com in the trust of the "
          + "role SageMaker trains as: the documents grant them to the chain's last role, and which role of a "
          + "chain Redshift passes to SageMaker is not documented");
    }
  }

  /**
   * A model brought from a SageMaker job ({@code CREATE MODEL ... FROM 'job_name'}, "a SageMaker training
   * job name or a SageMaker Autopilot job name"): Redshift describes the job (sagemaker:DescribeTrainingJob,
   * DescribeAutoMLJob, granted with {@link #TRAINING}) and reads its model artifacts from S3, where the job
   * wrote them: a location the statement does not name (a FROM of {@code 's3://...'} names the artifacts
   * and is granted as a key read). The job name is not quoted.
   */
  private void jobArtifacts(Where where, RedshiftCommand command) {
    dev.iamguard.sql.CommandOption from = command.option("FROM");
    String job = from == null ? null : from.value();
    if (job != null && !job.regionMatches(true, 0, "s3://", 0, 5)) {
      ungranted(where, "s3:GetObject and s3:ListBucket on the model artifacts of the SageMaker job FROM names: "
          + "they lie where the job wrote them (its output location), which the statement does not name");
    }
  }

  /** {@code secretsmanager:GetSecretValue} on the secret a federated or streaming schema names by its ARN. */
  private void secret(Where where, String secret, RoleArn role) {
    java.util.regex.Matcher arn = SECRET_ARN.matcher(secret);
    if (arn.matches() && arn.group(1).equals(role.partition()) && AwsResourceArns.isRegionName(arn.group(3))) {
      allow(role, List.of(secret), "secretsmanager:GetSecretValue");
      if (!arn.group(4).equals(role.account())) {
        // another account's secret is read only if its resource policy lets the role, and the key that
        // encrypts it is a customer managed one the role may use (Secrets Manager, "Access AWS Secrets
        // Manager secrets from a different account"): neither is in the role's documents
        ungranted(where, "secretsmanager:GetSecretValue on the secret SECRET_ARN names in account " + arn.group(4)
            + ": the secret's resource policy must allow the role, and the role kms:Decrypt on the customer managed "
            + "key that encrypts it; the role's documents grant only its own side");
      }
      return;
    }
    // quotes no part of the value: a SECRET_ARN that is no ARN may be a secret itself
    ungranted(where, "secretsmanager:GetSecretValue on the secret SECRET_ARN names: it is no complete secret ARN "
        + "of the role's partition (arn:...:secretsmanager:region:account:secret:name-XXXXXX, with the six "
        + "characters Secrets Manager adds), so the documents cannot name that secret alone");
  }

  /**
   * {@code bedrock:InvokeModel} on the foundation model MODEL_ID names, in the cluster's region, and
   * Bedrock in the trust (the CREATE EXTERNAL MODEL prerequisites name {@code bedrock.amazonaws.com}
   * beside Redshift). An inference profile, or a model that is no foundation model's id or ARN, names no
   * resource the documents can hold; which role of a chain Bedrock is to trust is not documented.
   */
  private void bedrock(Where where, RedshiftCommand command, List<RoleArn> chain) {
    RoleArn role = chain.get(chain.size() - 1);
    role(role).services.add("bedrock");
    if (chain.size() > 1) {
      ungranted(where, "bedrock.amazonaws.com in the trust of the role Bedrock is to assume: the documents name it "
          + "in the chain's last role's trust, and which role of a chain it must be is not documented");
    }
    dev.iamguard.sql.CommandOption option = command.option("MODEL_ID");
    String model = option == null ? null : option.value();
    if (model != null && BEDROCK_MODEL_ARN.matcher(model).matches() && model.startsWith("arn:" + role.partition() + ":")
        && AwsResourceArns.isRegionName(model.split(":")[3])) {
      allow(role, List.of(model), "bedrock:InvokeModel");
    } else if (model != null && BEDROCK_MODEL.matcher(model).matches()
        && !INFERENCE_PROFILES.contains(model.substring(0, model.indexOf('.')))) {
      allow(role, List.of("arn:" + role.partition() + ":bedrock:" + cluster.region() + "::foundation-model/" + model),
          "bedrock:InvokeModel");
    } else {
      ungranted(where, "bedrock:InvokeModel on the model MODEL_ID names: it is no foundation model id or ARN (an "
          + "inference profile routes to models in several regions the statement does not name), so the documents "
          + "cannot name it");
    }
  }

  /** Whether a CREATE EXTERNAL SCHEMA also creates its catalog database ({@code CREATE EXTERNAL DATABASE IF NOT EXISTS}). */
  private static boolean createsDatabase(RedshiftCommand command) {
    List<dev.iamguard.sql.CommandOption> options = command.options();
    for (int i = 0; i + 2 < options.size(); i++) {
      if (options.get(i).name().equals("CREATE") && options.get(i + 1).name().equals("EXTERNAL")
          && options.get(i + 2).name().equals("DATABASE")) {
        return command.kind() == CommandKind.CREATE_EXTERNAL_SCHEMA;
      }
    }
    return false;
  }

  /**
   * The Glue actions an external table statement makes Redshift take on its table, quoting the AWS
   * documentation (none maps statements to actions one by one; the actions are those of the "minimum
   * permissions required to use Redshift Spectrum with Amazon S3, AWS Glue, and Athena" policy of the
   * "IAM policies for Amazon Redshift Spectrum" page that do what the statement's page says it does):
   * <ul>
   *   <li>CREATE EXTERNAL TABLE creates the table in the catalog: glue:CreateTable;
   *   <li>a CETAS with PARTITIONED BY also "registers new partitions into the external catalog
   *       automatically": glue:BatchCreatePartition and glue:CreatePartition (the page does not say
   *       which of the two Redshift calls; both are listed);
   *   <li>ALTER TABLE .. ADD PARTITION is run "to register new partitions to the external catalog":
   *       glue:GetTable (the table whose partitions they are), glue:BatchCreatePartition, glue:CreatePartition;
   *   <li>INSERT (external table) "automatically registers new partitions in the external catalog" for a
   *       partitioned table and "The 'numRows' table property is automatically updated"; "the IAM role
   *       used to create the external schema must have both read and write permissions on Amazon S3
   *       and AWS Glue": glue:GetTable, glue:UpdateTable, glue:BatchCreatePartition,
   *       glue:CreatePartition (whether the table is partitioned the scripts need not say).
   * </ul>
   * Any other statement (ALTER TABLE .. SET LOCATION): none listed here.
   */
  private static List<String> glueActions(RedshiftCommand command) {
    return switch (command.kind()) {
      case CREATE_EXTERNAL_TABLE -> command.query() != null
          && command.option(dev.iamguard.sql.CommandOption.PARTITIONED_BY) != null
          ? List.of("glue:BatchCreatePartition", "glue:CreatePartition", "glue:CreateTable")
          : List.of("glue:CreateTable");
      case ALTER_EXTERNAL_TABLE -> command.option(dev.iamguard.sql.CommandOption.ADD_PARTITION) != null
          ? List.of("glue:BatchCreatePartition", "glue:CreatePartition", "glue:GetTable") : List.of();
      case INSERT_EXTERNAL_TABLE -> List.of("glue:BatchCreatePartition", "glue:CreatePartition", "glue:GetTable",
          "glue:UpdateTable");
      default -> List.of();
    };
  }

  /**
   * {@code actions} on the catalog, the Glue database of {@code schema} and {@code table}, for
   * {@code role} (the schema's catalog role): the database as the scripts or the registry name it; a
   * schema of another source (Hive) needs none, and one whose database neither names is a permission
   * the documents do not grant.
   */
  private void catalogActions(Where where, String table, String schema, RoleArn role, List<String> actions) {
    if (actions.isEmpty()) {
      return;
    }
    String named = String.join(", ", actions);
    Optional<String> database = schemaDatabases.get(schema);
    if (database == null) {
      database = registry == null ? Optional.empty() : registry.externalSchema(schema, cluster.id())
          .flatMap(known -> known.database().map(name -> AwsResourceArns.glueDatabaseArn(role.partition(),
              known.region().orElse(cluster.region()), known.catalogId().orElse(cluster.account()), name)));
      if (database.isEmpty()) {
        ungranted(where, named + " on the Glue database of external schema " + schema + ", which neither the "
            + "scripts nor the registry name (give its external_schemas entry a database)");
        return;
      }
    }
    if (database.isEmpty()) {
      return;
    }
    String name = ExternalCatalog.schemaName(table);
    if (!CATALOG_DATABASE.matcher(name).matches()) {
      ungranted(where, named + " on the table, whose name a Glue ARN cannot hold (/, * or ?)");
      return;
    }
    allow(role, glueResources(database.get(), name), actions.toArray(String[]::new));
  }

  /** The Glue database of an external schema from the Data Catalog, as an ARN; null for another source. */
  private String glueDatabaseArn(Resources resources, RoleArn role) {
    if (resources.catalogDatabase() == null) {
      return null;
    }
    return AwsResourceArns.glueDatabaseArn(role.partition(),
        resources.region() != null ? resources.region() : cluster.region(),
        resources.catalogId() != null ? resources.catalogId() : cluster.account(), resources.catalogDatabase());
  }

  /**
   * The Resources of a Glue create in {@code databaseArn}: the catalog, the database and, with a
   * {@code table}, the table, names as written and as Glue stores them (lower case), literally.
   */
  private static List<String> glueResources(String databaseArn, String table) {
    int slash = databaseArn.indexOf(":database/");
    String prefix = databaseArn.substring(0, slash);
    String database = databaseArn.substring(slash + ":database/".length());
    Set<String> resources = new LinkedHashSet<>();
    resources.add(prefix + ":catalog");
    for (String spelled : List.of(database, database.toLowerCase(Locale.ROOT))) {
      resources.add(prefix + ":database/" + IamDocuments.literal(spelled));
      if (table != null) {
        resources.add(prefix + ":table/" + IamDocuments.literal(spelled) + "/" + IamDocuments.literal(table));
      }
    }
    return new ArrayList<>(resources);
  }

  /** Allows {@code role} {@code actions} on each of {@code resources} (as a Resource names them). */
  private void allow(RoleArn role, List<String> resources, String... actions) {
    for (String resource : resources) {
      role(role).other.computeIfAbsent(resource, r -> new LinkedHashSet<>()).addAll(List.of(actions));
    }
  }

  /** Records what {@code command} needs that the IAM documents do not grant. */
  private void unmodelled(RedshiftCommand command) {
    Resources resources = command.resources();
    for (S3Location location : resources.s3()) {
      if (location.purpose() == S3Location.Purpose.MANIFEST || location.purpose() == S3Location.Purpose.SSH_MANIFEST) {
        unmodelled.add("s3:GetObject on the files each manifest lists (suggest reads the manifest's name, not the manifest)");
      }
    }
  }

  /** A role's partition, account and name in lower case: what IAM names it by. */
  private static String nameKey(RoleArn arn) {
    return arn.partition() + ":" + arn.account() + ":" + arn.name().toLowerCase(Locale.ROOT);
  }

  /** Whether the users running the statement can be named in a registry (no spaces); else a gap. */
  private boolean nameable(Where where) {
    for (String user : runners) {
      if (user.isEmpty() || user.chars().anyMatch(Character::isWhitespace)) {
        gap(where, "database user \"" + user + "\" cannot be named in a registry (names with spaces are not accepted)");
        return false;
      }
    }
    return true;
  }

  /** The IAM_ROLE chain as ARNs, or null after recording why it cannot be known. */
  private List<RoleArn> chain(Where where, AuthClause auth, List<String> catalogRoles) {
    if (auth.isDefault()) {
      if (cluster.defaultRole().isEmpty()) {
        gap(where, "IAM_ROLE DEFAULT: " + (registry == null
            ? "the cluster's default role is not known: give --default-role ARN or --registry"
            : "cluster " + cluster.id() + " has no default_role in " + registry.source()));
        return null;
      }
      usedDefault = true;
      return List.of(cluster.defaultRole().get());
    }
    if (auth.isSession()) {
      gap(where, "IAM_ROLE 'SESSION' uses the caller's federated identity, which no role describes");
      return null;
    }
    String text = auth.roleText();
    if (auth.roleLiterals() > 1 || text != null && (text.chars().anyMatch(Character::isWhitespace)
        || text.startsWith(",") || text.endsWith(",") || text.contains(",,"))) {
      gap(where, "the role chain is not written as one literal of comma-separated ARNs without spaces");
      return null;
    }
    if (auth.roles().isEmpty()) {
      gap(where, "the auth clause names no role");
      return null;
    }
    return arns(where, auth.roles(), auth.form() == AuthForm.IAM_ROLE && where.statement().rewritable());
  }

  /** Role strings as ARNs (aliases and chain names through the registry where rewritable), or null. */
  private List<RoleArn> arns(Where where, List<String> written, boolean rewritable) {
    List<RoleArn> arns = new ArrayList<>();
    for (String element : written) {
      if (holdsSecret(where, element)) {
        return null;
      }
      RoleArn.Parsed parsed = RoleArn.parse(element);
      if (parsed.arn().isPresent()) {
        if (!sqlSafe(where, parsed.arn().get())) {
          return null;
        }
        arns.add(parsed.arn().get());
        continue;
      }
      if (registry == null) {
        gap(where, "'" + element + "' is not a role ARN, and without --registry no alias or chain name is known");
        return null;
      }
      if (!registry.settings().rewriteAliases() || !rewritable) {
        gap(where, "'" + element + "' is not a role ARN, and the guard does not rewrite names here"
            + (registry.settings().rewriteAliases() ? " (CATALOG_ROLE, CREDENTIALS or a procedure body)"
                : " (policy.rewrite_aliases is off)"));
        return null;
      }
      Optional<ChainConfig> chain = written.size() == 1 ? registry.chain(element) : Optional.empty();
      if (chain.isPresent()) {
        chainNames.add(chain.get().name());
        arns.addAll(chain.get().roles());
        continue;
      }
      Optional<RoleArn> alias = registry.roleByAlias(element).map(r -> r.arn());
      if (alias.isEmpty()) {
        gap(where, "'" + element + "' is neither a role ARN nor an alias or chain name of " + registry.source());
        return null;
      }
      arns.add(alias.get());
    }
    if (arns.size() > registry().map(r -> r.settings().maxChain()).orElse(10)) {
      gap(where, "a chain of " + arns.size() + " roles is longer than Redshift allows");
      return null;
    }
    return arns;
  }

  private Optional<Registry> registry() {
    return Optional.ofNullable(registry);
  }

  /** Records the chain's hops: attachment, trust and sts:AssumeRole, and who runs it. */
  private void use(List<RoleArn> chain) {
    for (int i = 0; i < chain.size(); i++) {
      RoleNeeds role = role(chain.get(i));
      if (i == 0) {
        role.first = true;
        role.redshiftUsers.addAll(runners);
      } else {
        role.principals.add(chain.get(i - 1));
        role.principalUsers.computeIfAbsent(chain.get(i - 1), p -> new LinkedHashSet<>()).addAll(runners);
        role(chain.get(i - 1)).assume.add(chain.get(i));
      }
      role.users.addAll(runners);
    }
  }

  private RoleNeeds role(RoleArn arn) {
    byName.putIfAbsent(nameKey(arn), arn);
    return roles.computeIfAbsent(arn,
        a -> new RoleNeeds(a, registry == null ? null : RegistryDiff.compared(registry.role(a).orElse(null))));
  }

  /**
   * What records the resources for the last role of the chain (the catalog for the CATALOG_ROLE's),
   * to run once the chain is recorded; null, with the gap recorded, when one of them cannot be stated.
   */
  private List<Runnable> resources(Where where, RedshiftCommand command, List<RoleArn> chain, List<RoleArn> catalogChain) {
    Resources resources = command.resources();
    RoleArn last = chain.get(chain.size() - 1);
    List<Runnable> records = new ArrayList<>();
    for (S3Location location : resources.s3()) {
      if (!location(where, location, last, records, deletes(command, location))) {
        return null;
      }
    }
    String other = resources.otherSource();
    if (other != null && !otherSource(where, command.kind(), other, last, resources.region(), records)) {
      return null;
    }
    if (resources.lambda() != null) {
      String arn = AwsResourceArns.lambda(resources.lambda(), last.partition(), cluster.region(), last.account());
      if (arn == null) {
        gap(where, "'" + resources.lambda() + "' is not a Lambda function name or ARN");
        return null;
      }
      String entry = resources.lambda().contains(":") ? arn : resources.lambda();
      records.add(() -> role(last).lambdas.put(entry, arn));
    }
    if (resources.catalogDatabase() != null || resources.catalogArn() != null) {
      RoleArn user = catalogChain.isEmpty() ? last : catalogChain.get(catalogChain.size() - 1);
      if (!catalogDatabase(where, resources, user, records, createsDatabase(command))) {
        return null;
      }
    }
    return records;
  }

  private boolean location(Where where, S3Location location, RoleArn role, List<Runnable> records, boolean delete) {
    String problem = S3Prefixes.problem(location.uri());
    if (problem != null) {
      gap(where, "S3 location " + location.uri() + " " + problem);
      return false;
    }
    boolean write = location.access() == S3Location.Access.WRITE;
    boolean keyPrefix = location.purpose().keyPrefix();
    S3Prefix prefix = KeySpaces.needed(location.uri(), keyPrefix, request.prefixDepth());
    String invalid = S3Prefix.parse(prefix.toString()).problem().orElse(null);
    if (invalid != null) {
      gap(where, "S3 location " + location.uri() + " cannot be granted: " + invalid);
      return false;
    }
    List<S3Prefix> prefixes = new ArrayList<>(List.of(prefix));
    List<KeyPattern> objects = new ArrayList<>(List.of(KeyPattern.of(location.uri(), keyPrefix, request.prefixDepth())));
    // the guard also asks about the keys a location names if its percent escapes are decoded, or its
    // key ends at ? or # (S3Prefixes.otherReadings): the role needs them too
    for (String reading : S3Prefixes.otherReadings(location.uri())) {
      String readingProblem = S3Prefixes.problem(reading);
      S3Prefix other = readingProblem == null ? KeySpaces.needed(reading, keyPrefix, request.prefixDepth()) : null;
      String otherInvalid = other == null ? readingProblem : S3Prefix.parse(other.toString()).problem().orElse(null);
      if (otherInvalid != null) {
        gap(where, "S3 location " + location.uri() + " may also be read as " + reading + ", which cannot be granted: "
            + otherInvalid);
        return false;
      }
      KeyPattern otherObjects = KeyPattern.of(reading, keyPrefix, request.prefixDepth());
      if (otherObjects.wholeBucket() && !objects.get(0).wholeBucket()) {
        // the guard would ask about the whole bucket: granting it for one odd key is no least privilege
        gap(where, "S3 location " + location.uri() + " may also be read as " + reading + ", the whole bucket: "
            + "write the key without percent escapes, ? or #");
        return false;
      }
      prefixes.add(other);
      objects.add(otherObjects);
    }
    // a key prefix in the bucket's top level (s3://b/venue_) needs, by path segment, the whole bucket:
    // the short form cannot hold it without widening, the IAM documents name its keys (b/venue_*)
    S3Prefix widened = objects.get(0).wholeBucket() ? null
        : prefixes.stream().filter(p -> p.key().isEmpty()).findFirst().orElse(null);
    if (widened != null) {
      prefixes.clear();
    }
    records.add(() -> {
      if (widened != null) {
        shortFormGaps.add(masked(where, "S3 location " + location.uri() + " is a key prefix in its bucket's top "
            + "level: a registry prefix grants by path segment, so only the whole bucket " + widened + " would "
            + "cover it, which suggest does not write (it would grant every object of the bucket); the IAM "
            + "documents (--format iam --out) name its keys exactly, or write the location inside a folder"));
      }
      RoleNeeds needs = role(role);
      (write ? needs.writes : needs.reads).addAll(prefixes);
      (write ? needs.writeObjects : needs.readObjects).addAll(objects);
      if (delete) {
        needs.deletes.addAll(prefixes);
        needs.deleteObjects.addAll(objects);
      }
      needs.touch(location.uri(), keyPrefix, write);
    });
    return true;
  }

  private boolean otherSource(Where where, CommandKind kind, String source, RoleArn role, String region,
      List<Runnable> records) {
    String lower = source.toLowerCase(Locale.ROOT);
    String partition = role.partition();
    String at = region != null ? region : cluster.region();
    if ((lower.startsWith("dynamodb://") || lower.startsWith("emr://")) && !knownRegion(where, region)) {
      return false;
    }
    if (kind == CommandKind.COPY && lower.startsWith("dynamodb://")) {
      String table = source.substring("dynamodb://".length());
      if (!DYNAMODB_TABLE.matcher(table).matches()) {
        gap(where, "COPY source '" + source + "' names no valid DynamoDB table");
        return false;
      }
      String arn = "arn:" + partition + ":dynamodb:" + at + ":" + role.account() + ":table/" + table;
      records.add(() -> role(role).dynamodbArns.put(table, arn));
      return true;
    }
    if (kind == CommandKind.COPY && lower.startsWith("emr://")) {
      String rest = source.substring("emr://".length());
      int slash = rest.indexOf('/');
      String id = slash < 0 ? rest : rest.substring(0, slash);
      if (!EMR_CLUSTER.matcher(id).matches() || slash < 0 || slash == rest.length() - 1) {
        gap(where, "COPY source '" + source + "' names no valid EMR cluster id and path");
        return false;
      }
      String arn = "arn:" + partition + ":elasticmapreduce:" + at + ":" + role.account() + ":cluster/" + id;
      records.add(() -> role(role).emrArns.put(id, arn));
      return true;
    }
    if (kind == CommandKind.CREATE_LIBRARY && lower.startsWith("https://")) {
      return true; // no AWS resource
    }
    gap(where, "location '" + source + "' is not one the guard can check");
    return false;
  }

  private boolean catalogDatabase(Where where, Resources resources, RoleArn role, List<Runnable> records,
      boolean create) {
    String partition = role.partition();
    String region = resources.region() != null ? resources.region() : cluster.region();
    String account = resources.catalogId() != null ? resources.catalogId() : cluster.account();
    String database = resources.catalogDatabase();
    if (resources.catalogArn() != null) {
      String[] parts = AwsResourceArns.glueDatabase(resources.catalogArn());
      if (parts == null) {
        gap(where, "'" + resources.catalogArn() + "' is not a Glue database ARN");
        return false;
      }
      partition = parts[0];
      region = parts[1];
      account = parts[2];
      database = parts[3];
    } else if (!RoleArn.isAccountId(account)) {
      gap(where, "CATALOG_ID '" + account + "' is not a 12-digit AWS account id");
      return false;
    } else if (!knownRegion(where, resources.region())) {
      return false;
    }
    if (!CATALOG_DATABASE.matcher(database).matches()) {
      gap(where, "catalog database '" + database + "' cannot be named in a registry or a Glue ARN "
          + "(names with spaces, '/', '*' or '?' are not accepted: the last two would be wildcards there)");
      return false;
    }
    String arn = AwsResourceArns.glueDatabaseArn(partition, region, account, database);
    String entry = account.equals(cluster.account()) ? database : arn;
    records.add(() -> role(role).catalogs.put(entry, arn));
    if (create) {
      records.add(() -> allow(role, glueResources(arn, null), "glue:CreateDatabase"));
    }
    return true;
  }

  /**
   * Whether a REGION clause (null: none) names a region an ARN can hold; else a gap: a REGION like
   * {@code '*'} or {@code 'us-*'} would be a wildcard in the ARN and grant the resource in every
   * region it matches.
   */
  private boolean knownRegion(Where where, String region) {
    if (region == null || AwsResourceArns.isRegionName(region)) {
      return true;
    }
    gap(where, "REGION '" + region + "' is not a region name like us-west-2: written into an ARN it would "
        + "grant the resource in other regions");
    return false;
  }

  /** External table locations are reached with the schema's role. */
  private void externalTable(Where where, RedshiftCommand command) {
    List<S3Location> locations = command.resources().s3();
    if (locations.isEmpty() && command.resources().otherSource() == null) {
      return;
    }
    String table = command.targetTable();
    String schema = table == null ? null : ExternalCatalog.schemaOf(table);
    List<RoleArn> chain = schema == null ? null : catalog.schema(schema).orElse(null);
    boolean fromRegistry = false;
    if (chain == null && schema != null && registry != null) {
      Optional<ExternalSchemaConfig> known = registry.externalSchema(schema, cluster.id());
      if (known.isPresent()) {
        chain = known.get().chain();
        schemas.add(known.get().name());
        fromRegistry = true;
      }
    }
    if (chain == null || chain.isEmpty()) {
      gap(where, "the role of external schema " + (schema == null ? "(none named)" : schema)
          + " is not known: create it in the scripts or list it under external_schemas of the registry");
      return;
    }
    RoleArn last = chain.get(chain.size() - 1);
    List<Runnable> records = new ArrayList<>();
    for (S3Location location : locations) {
      if (!location(where, location, last, records, deletes(command, location))) {
        return;
      }
    }
    if (command.resources().otherSource() != null) {
      gap(where, "location '" + command.resources().otherSource() + "' is not one the guard can check");
      return;
    }
    if (!nameable(where)) {
      return;
    }
    if (fromRegistry) {
      use(chain); // Spectrum assumes the schema's chain for its tables, as the schema was created with it
    }
    records.forEach(Runnable::run);
    // Spectrum asks where the table's bucket is: s3:GetBucketLocation of the "minimum permissions"
    // policy of "IAM policies for Amazon Redshift Spectrum" (corpus spectrum-glue-s3-minimal.json)
    for (S3Location location : locations) {
      allow(last, List.of("arn:" + last.partition() + ":s3:::" + S3Location.bucket(location.uri())),
          "s3:GetBucketLocation");
    }
    // the catalog role of a schema created here with a CATALOG_ROLE; else its IAM_ROLE's last role
    List<RoleArn> catalogChain = fromRegistry ? null : schemaCatalogRoles.get(schema);
    List<String> actions = glueActions(command);
    if (catalogChain != null && catalogChain.isEmpty()) {
      if (!actions.isEmpty()) {
        ungranted(where, String.join(", ", actions) + " by the catalog role of external schema " + schema
            + ": it was created with a CATALOG_ROLE and altered since, and whether ALTER EXTERNAL SCHEMA keeps "
            + "the CATALOG_ROLE is not documented");
      }
    } else {
      catalogActions(where, table, schema, catalogChain == null ? last : catalogChain.get(catalogChain.size() - 1),
          actions);
    }
    resolved++;
    catalog = catalog.after(command);
  }

  private void externalInsert(String file, SqlStatement statement) {
    SqlStatement external = catalog.asExternalInsert(statement);
    if (external != null) {
      statements--;
      take(file, external);
    }
  }

  private static String join(List<RoleArn> chain) {
    return String.join(",", chain.stream().map(RoleArn::toString).toList());
  }

  /** The suggestion for every statement read so far. */
  public Suggestion suggestion() {
    List<Gap> all = new ArrayList<>(gaps);
    named.forEach(grant -> grant.roles().stream().filter(arn -> !roles.containsKey(arn)).findFirst().ifPresent(arn ->
        all.add(new Gap(grant.file(), grant.line(), grant.column(), grant.command(),
            "names role " + arn + ", which no statement uses: nothing says what it may do or whom it trusts"))));
    return Suggestions.make(request, registry, cluster, roles, grants, chainNames, schemas, all, usedDefault,
        statements, resolved, unmodelled, ungranted, shortFormGaps);
  }
}
