package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.TrustRequest;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The IAM documents {@code suggest} writes grant what Redshift ML, SageMaker and Bedrock functions and
 * federated schemas ask of the role, and nothing beside; the suggestion is complete only when they
 * grant every need of every covered statement. What each statement asks, as the AWS pages and the
 * corpus documents written after them say (/work/shared/corpus/iam/docs):
 * <ul>
 *   <li>CREATE MODEL trained in SageMaker ("Cluster setup for using Amazon Redshift ML", its more
 *       restrictive policy; redshift-ml-permissions.json, redshift-ml-trust-sagemaker.json): the SageMaker
 *       job actions, the CloudWatch, ECR and Logs actions of the training, {@code iam:PassRole} of the role
 *       itself with {@code iam:PassedToService} {@code sagemaker.amazonaws.com}, and
 *       {@code sagemaker.amazonaws.com} in the role's trust. Which role of a chain Redshift passes to
 *       SageMaker the pages do not say, and Amazon Forecast (MODEL_TYPE FORECAST) is not modelled: both
 *       leave the suggestion incomplete;</li>
 *   <li>CREATE MODEL's remote form and CREATE EXTERNAL FUNCTION with {@code SAGEMAKER 'endpoint'}
 *       ("CREATE EXTERNAL FUNCTION", "CREATE MODEL"): {@code sagemaker:InvokeEndpoint} on that endpoint, in
 *       the cluster's region and the role's account, and no training permission;</li>
 *   <li>CREATE EXTERNAL SCHEMA FROM POSTGRES / MYSQL ("Creating a secret and an IAM role to use federated
 *       queries"; federated-query-secretsmanager.json): {@code secretsmanager:GetSecretValue} on the
 *       SECRET_ARN the statement names; a SECRET_ARN that is not a complete secret ARN (no six-character
 *       suffix, not an ARN) names no resource a policy can hold exactly, a bind parameter none at all; a
 *       secret of another account than the role's is read only if its resource policy and key allow it
 *       (found by the simulator: tools/iam-simulate/suggest/service-needs.sh), never complete;</li>
 *   <li>CREATE EXTERNAL MODEL (redshift-bedrock-invoke.json, redshift-ml-trust-bedrock.json):
 *       {@code bedrock:InvokeModel} on the foundation model MODEL_ID names, and {@code bedrock.amazonaws.com}
 *       in the trust; an inference profile id names no foundation model;</li>
 *   <li>Kinesis and MSK (AUTHENTICATION iam) schemas (kinesis-streaming-ingestion.json,
 *       msk-streaming-ingestion-iam.json): the stream or topics are named by the materialized views, not
 *       by the statement: never complete.</li>
 * </ul>
 *
 * <p>Generated: 200 seeded scripts of 1 to 7 statements of these kinds, over the partitions aws, aws-cn
 * and aws-us-gov, two accounts, four roles (one with a path), chains of one or two roles, endpoints,
 * secrets and models in several regions and accounts. Each role's documents, read by iamguard's own IAM
 * evaluator, are asked every request a statement makes (allowed), and the same actions on every other
 * endpoint, secret, model, role and passed-to service the script names or that neighbours them (denied),
 * and whether SageMaker and Bedrock may assume the role.
 */
class SuggestServiceNeedsTest {
  private record Partition(String name, List<String> regions, List<String> accounts) {}

  private static final List<Partition> PARTITIONS = List.of(
      new Partition("aws", List.of("us-west-2", "eu-central-1"), List.of("123456789012", "210987654321")),
      new Partition("aws-cn", List.of("cn-north-1", "cn-northwest-1"), List.of("111122223333", "444455556666")),
      new Partition("aws-us-gov", List.of("us-gov-west-1", "us-gov-east-1"), List.of("777788889999", "123456789012")));

  /** What a local CREATE MODEL asks of the role for its SageMaker training ("Cluster setup ... Redshift ML"). */
  static final List<String> TRAINING = List.of("sagemaker:CreateAutoMLJob", "sagemaker:CreateTrainingJob",
      "sagemaker:CreateCompilationJob", "sagemaker:DescribeAutoMLJob", "sagemaker:DescribeTrainingJob",
      "cloudwatch:PutMetricData", "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "logs:CreateLogGroup",
      "logs:CreateLogStream", "logs:PutLogEvents");
  private static final List<String> ENDPOINTS = List.of("churn-ep", "Sales-Forecast-1", "ep2");
  private static final List<String> MODELS = List.of("anthropic.claude-v2:1", "amazon.titan-text-express-v1",
      "meta.llama3-8b-instruct-v1:0");
  private static final List<String> SERVICES = List.of("sagemaker.amazonaws.com", "bedrock.amazonaws.com",
      "lambda.amazonaws.com", "forecast.amazonaws.com");

  /** A request a role's permissions are asked: allowed exactly when some statement makes it. */
  private record Request(String action, String resource, Map<String, String> context) {}

  static IntStream seeds() {
    return IntStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void theDocumentsGrantWhatEachStatementAsksAndNothingBeside(int seed) throws Exception {
    Random random = new Random(seed);
    Partition p = PARTITIONS.get(seed % PARTITIONS.size());
    String region = p.regions().get(random.nextInt(p.regions().size()));
    String home = p.accounts().get(0);
    String other = p.accounts().get(1);
    List<RoleArn> roles = List.of(RoleArn.of("arn:" + p.name() + ":iam::" + home + ":role/Ml"),
        RoleArn.of("arn:" + p.name() + ":iam::" + home + ":role/etl/Fed"),
        RoleArn.of("arn:" + p.name() + ":iam::" + other + ":role/Partner"),
        RoleArn.of("arn:" + p.name() + ":iam::" + home + ":role/Copier"));
    StringBuilder script = new StringBuilder();
    Map<RoleArn, Set<Request>> needed = new LinkedHashMap<>();
    Map<RoleArn, Set<String>> trusted = new LinkedHashMap<>();
    Set<String> universe = new LinkedHashSet<>(); // every resource of the watched actions worth asking about
    boolean incomplete = false;
    for (int i = 0, n = 1 + random.nextInt(7); i < n; i++) {
      List<RoleArn> chain = new ArrayList<>();
      RoleArn last = roles.get(random.nextInt(roles.size()));
      if (random.nextInt(5) == 0) {
        RoleArn first = roles.get(random.nextInt(roles.size()));
        if (!first.equals(last)) {
          chain.add(first);
        }
      }
      chain.add(last);
      String iamRole = " iam_role '" + String.join(",", chain.stream().map(RoleArn::toString).toList()) + "'";
      Set<Request> needs = needed.computeIfAbsent(last, r -> new LinkedHashSet<>());
      switch (random.nextInt(9)) {
        case 0, 1 -> { // CREATE MODEL trained in SageMaker
          boolean forecast = random.nextInt(6) == 0;
          script.append("create model m").append(i).append(" from t").append(i).append(" target y function f").append(i)
              .append(iamRole).append(forecast ? " model_type forecast" : random.nextBoolean() ? " auto off model_type xgboost" : "")
              .append(" settings (s3_bucket 'models-").append(i).append("'").append(forecast ? ", horizon 7" : "")
              .append(");\n");
          if (forecast) {
            incomplete = true;
          } else {
            for (String action : TRAINING) {
              needs.add(new Request(action, trainingResource(action, p.name(), region, last.account(), "m" + i), Map.of()));
            }
            needs.add(new Request("iam:PassRole", last.toString(), Map.of("iam:PassedToService", "sagemaker.amazonaws.com")));
            trusted.computeIfAbsent(last, r -> new LinkedHashSet<>()).add("sagemaker");
            incomplete |= chain.size() > 1; // which role of a chain Redshift passes is not documented
          }
        }
        case 2, 3 -> { // SAGEMAKER 'endpoint': remote CREATE MODEL or an external function
          String endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
          script.append(random.nextBoolean()
              ? "create model r" + i + " function rf" + i + "(int) returns int sagemaker '" + endpoint + "'" + iamRole
              : "create external function ef" + i + "(int) returns int stable sagemaker '" + endpoint + "'" + iamRole)
              .append(";\n");
          needs.add(new Request("sagemaker:InvokeEndpoint", "arn:" + p.name() + ":sagemaker:" + region + ":"
              + last.account() + ":endpoint/" + endpoint.toLowerCase(Locale.ROOT), Map.of()));
        }
        case 4, 5 -> { // a federated schema with its secret
          String secretRegion = p.regions().get(random.nextInt(p.regions().size()));
          String account = random.nextBoolean() ? home : other;
          String arn = "arn:" + p.name() + ":secretsmanager:" + secretRegion + ":" + account + ":secret:pg/db" + (i % 3)
              + "-" + String.format("AbC%03d", i);
          int form = random.nextInt(8);
          String written = switch (form) {
            case 0 -> arn.substring(0, arn.lastIndexOf('-')); // no six-character suffix: not the secret's ARN
            case 1 -> "pg/db" + i; // a name, not an ARN
            default -> arn;
          };
          script.append("create external schema s").append(i).append(" from ").append(random.nextBoolean() ? "postgres" : "mysql")
              .append(" database 'd' uri 'db.example.com'").append(iamRole).append(" secret_arn '").append(written)
              .append("';\n");
          if (form <= 1) {
            incomplete = true;
          } else {
            needs.add(new Request("secretsmanager:GetSecretValue", arn, Map.of()));
            // another account's secret needs its resource policy and key too, which the role's documents are not
            incomplete |= !account.equals(last.account());
          }
          universe.add(arn);
        }
        case 6, 7 -> { // a Bedrock model
          boolean profile = random.nextInt(6) == 0;
          String model = MODELS.get(random.nextInt(MODELS.size()));
          script.append("create external model x").append(i).append(" function xf").append(i).append(iamRole)
              .append(" model_type bedrock settings (model_id '").append(profile ? "us." + model : model).append("');\n");
          trusted.computeIfAbsent(last, r -> new LinkedHashSet<>()).add("bedrock");
          incomplete |= chain.size() > 1; // which role of a chain Bedrock is to assume is not documented
          if (profile) {
            incomplete = true; // an inference profile: which models in which regions it routes to is not named
          } else {
            needs.add(new Request("bedrock:InvokeModel", "arn:" + p.name() + ":bedrock:" + region + "::foundation-model/"
                + model, Map.of()));
          }
        }
        default -> { // streaming schemas name no stream or topic
          script.append(random.nextBoolean() ? "create external schema k" + i + " from kinesis" + iamRole
              : "create external schema k" + i + " from msk" + iamRole + " authentication iam cluster_arn 'arn:"
                  + p.name() + ":kafka:" + region + ":" + home + ":cluster/C" + i + "/abcd-1234'").append(";\n");
          incomplete = true;
        }
      }
    }
    Suggestion suggestion = suggest(script.toString(), p.accounts().get(0), region);
    String context = "seed " + seed + "\n" + script;
    assertThat(suggestion.gaps()).as(context).isEmpty();
    assertThat(suggestion.complete()).as("complete exactly when every need is granted\n%s\n%s", context,
        suggestion.ungranted()).isEqualTo(!incomplete);

    // the resources to ask about: those named, and their neighbours in every region and account
    for (String endpoint : ENDPOINTS) {
      for (String r : p.regions()) {
        for (String account : p.accounts()) {
          universe.add("arn:" + p.name() + ":sagemaker:" + r + ":" + account + ":endpoint/" + endpoint.toLowerCase(Locale.ROOT));
        }
      }
    }
    universe.add("arn:" + p.name() + ":sagemaker:" + region + ":" + home + ":endpoint/churn-ep2");
    for (String model : MODELS) {
      for (String r : p.regions()) {
        universe.add("arn:" + p.name() + ":bedrock:" + r + "::foundation-model/" + model);
      }
    }
    universe.add("arn:" + p.name() + ":bedrock:" + region + "::foundation-model/anthropic.claude-v2:0");
    for (String secret : List.copyOf(universe)) {
      if (secret.contains(":secret:")) {
        universe.add(secret + "x");
        universe.add(secret.replace(":secret:pg/", ":secret:pg/other-"));
      }
    }
    roles.forEach(r -> universe.add(r.toString()));

    for (RoleArn role : roles) {
      Optional<SuggestedRole> suggested = suggestion.role(role);
      IamDocuments documents = suggested.map(r -> IamDocuments.of(r, suggestion.cluster())).orElse(null);
      Map<String, Object> permissions = documents == null ? null : documents.permissions();
      Set<Request> expected = needed.getOrDefault(role, Set.of());
      Set<Request> asked = new LinkedHashSet<>(expected);
      Map<String, IamPolicy> asAction = new java.util.HashMap<>(); // the document as each action is asked of it
      for (String resource : universe) {
        String action = resource.contains(":endpoint/") ? "sagemaker:InvokeEndpoint"
            : resource.contains(":secret:") ? "secretsmanager:GetSecretValue"
            : resource.contains(":foundation-model/") ? "bedrock:InvokeModel" : null;
        if (action != null) {
          asked.add(new Request(action, resource, Map.of()));
        } else {
          for (String service : SERVICES) {
            asked.add(new Request("iam:PassRole", resource, Map.of("iam:PassedToService", service)));
          }
        }
      }
      for (String action : TRAINING) { // no training for a role no local CREATE MODEL uses
        asked.add(new Request(action, trainingResource(action, p.name(), region, role.account(), "m0"), Map.of()));
      }
      for (Request request : asked) {
        boolean allowed = permissions != null && allows(permissions, request, role.name(), asAction);
        record(seed, role, permissions, null, request, want(expected, request));
        boolean want = want(expected, request);
        assertThat(allowed).as("%s %s %s %s\n%s", role, request.action(), request.resource(), request.context(), context)
            .isEqualTo(want);
      }
      if (documents != null && documents.permissions() != null) {
        assertThat(actions(documents.permissions())).as("%s grants only actions these statements ask\n%s", role, context)
            .isSubsetOf(KNOWN);
      }
      IamPolicy trust = documents == null ? null
          : IamPolicy.parse(IamDocumentsTest.json(documents.trust()), role.name() + ".trust.json");
      for (String service : List.of("sagemaker", "bedrock", "forecast", "lambda")) {
        boolean allowed = trust != null && trust.evaluateTrust(new TrustRequest(new TrustRequest.ServiceCaller(service,
            Optional.of(region)), TrustRequest.ASSUME_ROLE, Map.of())) == IamEffect.ALLOW;
        record(seed, role, null, documents == null ? null : documents.trust(),
            new Request("sts:AssumeRole", role.toString(), Map.of()), trusted.getOrDefault(role, Set.of()).contains(service),
            service + ".amazonaws.com");
        assertThat(allowed).as("%s trusts %s\n%s", role, service, context)
            .isEqualTo(trusted.getOrDefault(role, Set.of()).contains(service));
      }
    }
  }

  /**
   * The resource a training request names, of the type the action's service reference gives it (the
   * job, the log group, the repository; none for the token and metrics): the jobs are named by Redshift.
   */
  private static String trainingResource(String action, String partition, String region, String account, String model) {
    String prefix = "arn:" + partition + ":";
    return switch (action) {
      case "sagemaker:CreateAutoMLJob", "sagemaker:DescribeAutoMLJob" ->
          prefix + "sagemaker:" + region + ":" + account + ":automl-job/redshift-ml-" + model;
      case "sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob" ->
          prefix + "sagemaker:" + region + ":" + account + ":training-job/redshift-ml-" + model;
      case "sagemaker:CreateCompilationJob", "sagemaker:DescribeCompilationJob" ->
          prefix + "sagemaker:" + region + ":" + account + ":compilation-job/redshift-ml-" + model;
      case "ecr:BatchGetImage" -> prefix + "ecr:" + region + ":" + account + ":repository/sagemaker-xgboost";
      case "logs:CreateLogGroup" -> prefix + "logs:" + region + ":" + account + ":log-group:/aws/sagemaker/TrainingJobs";
      case "logs:CreateLogStream", "logs:PutLogEvents" -> prefix + "logs:" + region + ":" + account
          + ":log-group:/aws/sagemaker/TrainingJobs:log-stream:redshift-ml-" + model;
      default -> "*"; // ecr:GetAuthorizationToken, cloudwatch:PutMetricData
    };
  }

  /** Whether a request is one a statement makes: a training action on any job, else exactly that request. */
  private static boolean want(Set<Request> expected, Request request) {
    return TRAINING.contains(request.action()) ? expected.stream().anyMatch(e -> e.action().equals(request.action()))
        : expected.contains(request);
  }

  /**
   * With {@code -Diamguard.simulate.out=FILE}, each request asked is appended to FILE as a JSON line for
   * tools/iam-simulate/suggest/sim.mjs (the open-source simulator, a second opinion outside the build:
   * tools/iam-simulate/suggest/service-needs.sh); without it, nothing is written.
   */
  private static void record(int seed, RoleArn role, Map<String, Object> permissions, Map<String, Object> trust,
      Request request, boolean expected, String... service) {
    String out = System.getProperty("iamguard.simulate.out");
    if (out == null) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("id", seed + " " + role + " " + request.action() + " " + request.resource() + " " + request.context()
        + (service.length == 0 ? "" : " from " + service[0]));
    line.put("expect", expected ? "Allowed" : "Denied");
    line.put("principal", service.length > 0 ? service[0]
        : "arn:" + role.partition() + ":sts::" + role.account() + ":assumed-role/" + role.name() + "/redshift");
    line.put("action", request.action());
    line.put("resource", request.resource());
    String[] parts = request.resource().split(":", -1);
    line.put("account", parts.length > 4 && parts[4].matches("[0-9]{12}") ? parts[4] : role.account());
    line.put("identity", permissions == null ? List.of() : List.of(permissions));
    if (trust != null) {
      line.put("resourcePolicy", trust);
    }
    line.put("context", request.context());
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of(out), IamDocumentsTest.json(line) + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Every action the documents may hold for these scripts: those asked above, the rest of the page's
   * restrictive Redshift ML policy (ECR layers, DescribeLogStreams, the compilation job's Describe, which
   * its {@code sagemaker:*Job*} names), and S3 on the model bucket.
   */
  private static final Set<String> KNOWN = Set.copyOf(concat(TRAINING, List.of("sagemaker:DescribeCompilationJob",
      "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "logs:DescribeLogStreams", "iam:PassRole",
      "sagemaker:InvokeEndpoint", "secretsmanager:GetSecretValue", "bedrock:InvokeModel", "s3:GetObject",
      "s3:ListBucket", "s3:PutObject", "s3:DeleteObject", "sts:AssumeRole")));

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Whether iamguard's evaluator allows {@code request} by {@code document}. It evaluates only the actions
   * Redshift's own requests use (RedshiftRequests.EVALUATED_ACTIONS) and skips statements of others, so
   * the request's action is asked as {@code s3:GetObject} of a copy of the document in which every Action
   * equal to it (ignoring case: IAM's action names do) reads {@code s3:GetObject} and every other
   * {@code s3:PutObject}; Resource and Condition are evaluated as written. Exact because the documents
   * hold no action with a wildcard (asserted).
   */
  @SuppressWarnings("unchecked")
  static boolean allows(Map<String, Object> document, Request request, String name, Map<String, IamPolicy> asAction)
      throws Exception {
    IamPolicy policy = asAction.get(request.action());
    if (policy == null) {
      policy = standIn(document, request.action(), name);
      asAction.put(request.action(), policy);
    }
    return policy.evaluate("s3:GetObject", request.resource(), request.context()) == IamEffect.ALLOW;
  }

  @SuppressWarnings("unchecked")
  private static IamPolicy standIn(Map<String, Object> document, String action, String name) throws Exception {
    List<Object> statements = new ArrayList<>();
    for (Object statement : (List<Object>) document.get("Statement")) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) statement);
      Object written = copy.get("Action");
      List<String> actions = written instanceof String one ? List.of(one) : (List<String>) written;
      List<String> standIns = new ArrayList<>();
      for (String each : actions) {
        assertThat(each).as("an action without wildcards").doesNotContain("*").doesNotContain("?");
        String standIn = each.equalsIgnoreCase(action) ? "s3:GetObject" : "s3:PutObject";
        if (!standIns.contains(standIn)) {
          standIns.add(standIn);
        }
      }
      copy.put("Action", standIns);
      statements.add(copy);
    }
    Map<String, Object> asked = new LinkedHashMap<>(document);
    asked.put("Statement", statements);
    return IamPolicy.parse(IamDocumentsTest.json(asked), name + ".permissions.json");
  }

  @SuppressWarnings("unchecked")
  private static Set<String> actions(Map<String, Object> document) {
    Set<String> actions = new LinkedHashSet<>();
    for (Object statement : (List<Object>) document.get("Statement")) {
      Object action = ((Map<String, Object>) statement).get("Action");
      actions.addAll(action instanceof String one ? List.of(one) : (List<String>) action);
    }
    return actions;
  }

  /**
   * A resource written as a bind parameter names nothing: the statement is a gap, never complete, and
   * its role is granted nothing for it.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "create external schema s from postgres database 'd' uri 'h' iam_role 'R' secret_arn ?",
      "create external function f(int) returns int stable sagemaker ? iam_role 'R'",
      "create model m function f(int) returns int sagemaker $1 iam_role 'R'"})
  void aBindParameterForTheResourceIsAGap(String statement) {
    Suggestion suggestion = suggest(statement.replace("'R'", "'arn:aws:iam::123456789012:role/R'") + ";\n",
        "123456789012", "us-west-2");
    assertThat(suggestion.gaps()).as(statement).isNotEmpty();
    assertThat(suggestion.complete()).isFalse();
  }

  static Suggestion suggest(String script, String account, String region) {
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", account, region, null,
        List.of("etl"), 0));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("generated.sql", statement);
    }
    return needs.suggestion();
  }
}
