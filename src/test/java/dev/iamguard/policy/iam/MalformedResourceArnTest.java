package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.RegistryProblem;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.sql.SecretText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Resource or NotResource ARN that IAM refuses is a problem of its statement, and one IAM accepts
 * loads as it did before the guard looked at ARN shapes. What IAM refuses is what getmoto/moto
 * records from IAM's answers ({@code moto/iam/policy_validation.py}, {@code
 * tests/test_iam/test_iam_policies.py}) and the IAM User Guide documents: an empty partition or one
 * no partition is named like, nothing after the partition, an empty service, a wildcard in the
 * service, a region in an IAM ARN or in an S3 ARN without account, and fewer than five colons with
 * an empty part among them ({@code arn:aws:s3::bkt/data/*}, probe 24c F5: it loaded, matched
 * nothing, and a Deny with it denied nothing). Refused ARNs are tested in an Allow and a Deny, read
 * directly and through the registry (inline and from a file), naming the element, the value, the
 * registry path and the line. Short ARNs without an empty part ({@code arn:aws:s3:*}) and white
 * space outside the partition load and decide as the matching of {@link ResourceElement} says, as
 * before; every ARN shape the guard evaluates, in each partition, with wildcards and policy
 * variables, loads and decides as its pattern says; a statement about other actions keeps its
 * problem and is skipped.
 */
class MalformedResourceArnTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/RoleA";
  private static final String REGISTRY = """
      version: 1
      clusters:
        - id: c1
          account: "123456789012"
          region: us-west-2
          attached_roles: [%s]
      roles:
        - arn: %s
          policy_files:
            trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com}, Action: "sts:AssumeRole"}]}
            permissions:
              - %s
      """;
  /** The line of the registry above where the permission document starts. */
  private static final int DOCUMENT_LINE = 12;
  private static final String HOW = "; an ARN is arn:partition:service:region:account:resource, with region and"
      + " account left empty, not left out, where the resource has none (S3 objects: arn:aws:s3:::bucket/key)";
  private static final String LEGACY = "; IAM refuses it: \"The policy failed legacy parsing\"";

  @TempDir
  Path dir;

  /**
   * An ARN the guard evaluates, a resource of a request it matches, and the request's action.
   *
   * @param context the policy variables' values in that request
   */
  private record Shape(String pattern, String action, String resource, Map<String, String> context) {
    Shape(String pattern, String action, String resource) {
      this(pattern, action, resource, Map.of());
    }

    /** The same in {@code partition} (the variables' values stay). */
    Shape in(String partition) {
      Function<String, String> move = arn -> arn.replaceFirst("^arn:aws:", "arn:" + partition + ":");
      return new Shape(move.apply(pattern), action, move.apply(resource), context);
    }

    IamRequest request() {
      RequestContext.Builder builder = RequestContext.builder();
      context.forEach(builder::put);
      return IamRequest.of(action, resource, builder.build());
    }
  }

  /** Every resource shape the guard asks about, and the wildcards and variables policies write in them. */
  private static final List<Shape> SHAPES = List.of(
      new Shape("arn:aws:s3:::bkt", "s3:ListBucket", "arn:aws:s3:::bkt"),
      new Shape("arn:aws:s3:::bkt/data/*", "s3:GetObject", "arn:aws:s3:::bkt/data/2024/x.csv"),
      new Shape("arn:aws:s3:::bkt/data:2024/part?.csv", "s3:GetObject", "arn:aws:s3:::bkt/data:2024/part1.csv"),
      new Shape("arn:aws:s3:::bkt/my data/*", "s3:PutObject", "arn:aws:s3:::bkt/my data/x"),
      new Shape("arn:aws:s3:::bkt-??/*", "s3:DeleteObject", "arn:aws:s3:::bkt-01/k"),
      new Shape("arn:aws:s3:::*", "s3:GetObject", "arn:aws:s3:::any/key"),
      new Shape("arn:aws:lambda:us-west-2:123456789012:function:f", "lambda:InvokeFunction",
          "arn:aws:lambda:us-west-2:123456789012:function:f"),
      new Shape("arn:aws:lambda:us-west-2:123456789012:function:f:prod", "lambda:InvokeFunction",
          "arn:aws:lambda:us-west-2:123456789012:function:f:prod"),
      new Shape("arn:aws:lambda:*:123456789012:function:etl-*", "lambda:InvokeFunction",
          "arn:aws:lambda:eu-west-1:123456789012:function:etl-load"),
      new Shape("arn:aws:lambda:*:*:*", "lambda:InvokeFunction", "arn:aws:lambda:us-west-2:123456789012:function:f"),
      new Shape("arn:aws:glue:us-west-2:123456789012:catalog", "glue:GetDatabase",
          "arn:aws:glue:us-west-2:123456789012:catalog"),
      new Shape("arn:aws:glue:us-west-2:123456789012:database/db", "glue:GetDatabase",
          "arn:aws:glue:us-west-2:123456789012:database/db"),
      new Shape("arn:aws:glue:us-west-2:123456789012:table/db/*", "glue:GetTable",
          "arn:aws:glue:us-west-2:123456789012:table/db/t"),
      new Shape("arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "kms:Decrypt",
          "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
      new Shape("arn:aws:kms:*:123456789012:key/*", "kms:GenerateDataKey",
          "arn:aws:kms:us-east-1:123456789012:key/k"),
      new Shape("arn:aws:iam::123456789012:role/RoleB", "sts:AssumeRole", "arn:aws:iam::123456789012:role/RoleB"),
      new Shape("arn:aws:iam::123456789012:role/etl/*", "sts:AssumeRole", "arn:aws:iam::123456789012:role/etl/Loader"),
      new Shape("arn:aws:iam::*:role/Role?", "sts:TagSession", "arn:aws:iam::210987654321:role/RoleC"),
      new Shape("arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/*", "redshift:GetClusterCredentials",
          "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1"),
      new Shape("arn:aws:dynamodb:us-west-2:123456789012:table/t", "dynamodb:Scan",
          "arn:aws:dynamodb:us-west-2:123456789012:table/t"),
      new Shape("arn:aws:elasticmapreduce:us-west-2:123456789012:cluster/j-ABC", "elasticmapreduce:ListInstances",
          "arn:aws:elasticmapreduce:us-west-2:123456789012:cluster/j-ABC"),
      new Shape("arn:aws:sagemaker:us-west-2:123456789012:endpoint/e", "sagemaker:InvokeEndpoint",
          "arn:aws:sagemaker:us-west-2:123456789012:endpoint/e"),
      new Shape("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1", "bedrock:InvokeModel",
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1"),
      new Shape("arn:aws:secretsmanager:us-west-2:123456789012:secret:rds-*", "secretsmanager:GetSecretValue",
          "arn:aws:secretsmanager:us-west-2:123456789012:secret:rds-VNenFy"),
      new Shape("arn:*:s3:::bkt/*", "s3:GetObject", "arn:aws:s3:::bkt/k"),
      new Shape("arn:aws:s3:::bkt/home/${aws:username}/*", "s3:GetObject", "arn:aws:s3:::bkt/home/alice/x",
          Map.of("aws:username", "alice")),
      new Shape("arn:aws:s3:::bkt/${aws:PrincipalTag/cost center, 'none'}/*", "s3:GetObject",
          "arn:aws:s3:::bkt/finance/x", Map.of("aws:PrincipalTag/cost center", "finance")),
      new Shape("arn:aws:iam::${aws:PrincipalAccount}:role/RoleB", "sts:AssumeRole",
          "arn:aws:iam::123456789012:role/RoleB", Map.of("aws:PrincipalAccount", "123456789012")),
      new Shape("arn:aws:lambda:${aws:RequestedRegion}:123456789012:function:f", "lambda:InvokeFunction",
          "arn:aws:lambda:us-west-2:123456789012:function:f", Map.of("aws:RequestedRegion", "us-west-2")));

  private static List<Shape> everyPartition() {
    List<Shape> shapes = new ArrayList<>();
    for (String partition : List.of("aws", "aws-cn", "aws-us-gov")) {
      SHAPES.forEach(s -> shapes.add(s.in(partition)));
    }
    return shapes;
  }

  /**
   * What IAM answers for {@code arn} (which starts with {@code arn:}), taken step by step as moto's
   * {@code _validate_resource_format} then {@code _legacy_parse_resource_like} take it, colons
   * counted as written, with what the guard leaves as written where IAM's answer is not recorded (a
   * partition named like one, a region of stars or holding a variable, an S3 ARN naming an account);
   * empty when IAM accepts it. The words are the guard's, the quoted ones IAM's.
   */
  private static Optional<String> iamRefusal(String arn, boolean variables) {
    String rest = arn.substring("arn:".length());
    int colon = rest.indexOf(':');
    String partition = colon < 0 ? rest : rest.substring(0, colon);
    if (partition.isEmpty()) {
      return Optional.of("its partition is empty; IAM refuses it: \"Partition \"\" is not valid for resource ...\"");
    }
    if (!partition.contains("*") && !partition.contains("?") && !partition.matches("aws(-[a-z0-9]+)*")) {
      return Optional.of("its partition \"" + partition + "\" is no partition's name (aws, aws-cn, aws-us-gov, ...: the"
          + " one of the account holding the policy); IAM refuses it: \"Partition \"" + partition
          + "\" is not valid for resource ...\"");
    }
    if (colon < 0) {
      return Optional.of("it names no service after its partition; IAM refuses it: \"Resource vendor must be fully"
          + " qualified and cannot contain regexes.\"");
    }
    rest = rest.substring(colon + 1);
    colon = rest.indexOf(':');
    String service = colon < 0 ? rest : rest.substring(0, colon);
    if (service.isEmpty()) {
      return Optional.of("its service is empty" + LEGACY);
    }
    if (service.contains("*") || service.contains("?")) {
      return Optional.of("its service \"" + service + "\" holds a wildcard, which the IAM User Guide forbids (\"You"
          + " can't use a wildcard in the service segment\"): write one ARN per service");
    }
    if (colon >= 0) {
      rest = rest.substring(colon + 1);
      colon = rest.indexOf(':');
      String region = colon < 0 ? rest : rest.substring(0, colon);
      String account = colon < 0 ? "" : rest.substring(colon + 1).split(":", -1)[0];
      boolean written = !region.isEmpty() && !region.matches("\\*+") && !(variables && region.contains("${"));
      if (written && service.equals("iam")) {
        return Optional.of("it names region \"" + region + "\", which an IAM ARN cannot have; IAM refuses it: \"IAM"
            + " resource ... cannot contain region information.\"");
      }
      if (written && service.equals("s3") && account.isEmpty()) {
        return Optional.of("it names region \"" + region + "\" but no account, which an S3 bucket or object ARN cannot"
            + " have; IAM refuses it: \"Resource ... can not contain region information.\"");
      }
    }
    long colons = arn.chars().filter(c -> c == ':').count();
    if (colons < 5 && arn.contains("::")) {
      return Optional.of("it has only " + (colons + 1) + " parts, yet an empty one (\"::\"): a part was left out rather"
          + " than left empty" + LEGACY);
    }
    return Optional.empty();
  }

  /** The indices of the colons of {@code arn}, as IAM counts them: those in a policy variable too. */
  private static List<Integer> colons(String arn) {
    List<Integer> at = new ArrayList<>();
    for (int i = arn.indexOf(':'); i >= 0; i = arn.indexOf(':', i + 1)) {
      at.add(i);
    }
    return at;
  }

  /** {@code arn} with part {@code index} (1 partition, 2 service, 3 region, 4 account) replaced by {@code part}. */
  private static String withPart(String arn, int index, String part) {
    List<Integer> at = colons(arn);
    return arn.substring(0, at.get(index - 1) + 1) + part + arn.substring(at.get(index));
  }

  /**
   * ARNs made from every shape: every way of losing any of the first five colons (the text still
   * starting with {@code arn:}), the ARN cut before or after each colon (then a star), an empty, misspelled or
   * spaced partition, an empty or wildcard service, a region in IAM and S3 ARNs, a space or a tab
   * in the service, the region and the account; each with the shape it was first made from.
   */
  private static Map<String, Shape> variants() {
    Map<String, Shape> all = new LinkedHashMap<>();
    for (Shape shape : SHAPES) {
      String arn = shape.pattern();
      List<Integer> at = colons(arn);
      for (int lost = 1; lost < 1 << 5; lost++) {
        StringBuilder text = new StringBuilder(arn);
        for (int c = 4; c >= 0; c--) {
          if ((lost & 1 << c) != 0) {
            text.deleteCharAt(at.get(c));
          }
        }
        // "arnaws:..." is no ARN at all (tested elsewhere)
        if (text.toString().startsWith("arn:")) {
          all.putIfAbsent(text.toString(), shape);
        }
      }
      for (int c = 1; c < at.size(); c++) {
        all.putIfAbsent(arn.substring(0, at.get(c)), shape);
        all.putIfAbsent(arn.substring(0, at.get(c) + 1), shape);
        all.putIfAbsent(arn.substring(0, at.get(c) + 1) + "*", shape);
      }
      for (String partition : List.of("", "error", "AWS", "aws_cn", "aws-", " aws", "aws\t", "${ARN_PARTITION}")) {
        all.putIfAbsent(withPart(arn, 1, partition), shape);
      }
      for (String service : List.of("", "*", "s*", "?3", "lamb?a")) {
        all.putIfAbsent(withPart(arn, 2, service), shape);
      }
      String service = arn.substring(at.get(1) + 1, at.get(2));
      if (service.equals("s3") || service.equals("iam")) {
        for (String region : List.of("us-east-1", "us-*", "?")) {
          all.putIfAbsent(withPart(arn, 3, region), shape);
        }
      }
      for (int part = 2; part <= 4; part++) {
        String written = arn.substring(at.get(part - 1) + 1, at.get(part));
        all.putIfAbsent(withPart(arn, part, written.isEmpty() ? " " : written.charAt(0) + " " + written.substring(1)),
            shape);
        all.putIfAbsent(withPart(arn, part, written + "\t"), shape);
      }
    }
    return all;
  }

  /** Each variant IAM refuses, with the guard's problem (without how an ARN is written). */
  private static Map<String, String> refused() {
    Map<String, String> refused = new LinkedHashMap<>();
    for (String arn : variants().keySet()) {
      iamRefusal(arn, true).ifPresent(why -> refused.put(arn, why));
    }
    return refused;
  }

  /**
   * The variants IAM accepts with fewer than six parts or white space, without a policy variable
   * (a cut may leave one unclosed, which is another problem).
   */
  private static Map<String, Shape> acceptedShortOrSpaced() {
    Map<String, Shape> accepted = new LinkedHashMap<>();
    variants().forEach((arn, shape) -> {
      if (iamRefusal(arn, true).isEmpty() && !arn.contains("${")
          && (colons(arn).size() < 5 || arn.chars().anyMatch(Character::isWhitespace))) {
        accepted.put(arn, shape);
      }
    });
    return accepted;
  }

  private static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + "\"";
  }

  /** A permission policy, one statement a line from the second, the last on the line before the closing one. */
  private static String document(List<String> statements) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [\n" + String.join(",\n", statements) + "\n]}";
  }

  private static String statement(String effect, String element, String resource) {
    return "{\"Effect\": \"" + effect + "\", \"Action\": \"s3:GetObject\", \"" + element + "\": " + json(resource) + "}";
  }

  private static final String ALLOW_ALL = "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}";

  private static List<String> problems(ThrowingRead read) {
    RegistryException e = assertThrows(RegistryException.class, read::run);
    return e.problems().stream().map(RegistryProblem::toString).toList();
  }

  @FunctionalInterface
  private interface ThrowingRead {
    void run() throws Exception;
  }

  private Registry registryWithFile(String document) throws Exception {
    Files.writeString(dir.resolve("p.json"), document);
    return RegistryLoader.parse(REGISTRY.formatted(ROLE, ROLE, "p.json"), "r.yaml", dir);
  }

  private static Registry registryInline(String document) throws Exception {
    // a JSON document is YAML: the lines of the statements stay the lines of the document
    return RegistryLoader.parse(REGISTRY.formatted(ROLE, ROLE, document.replace("\n", "\n          ")), "r.yaml", null);
  }

  @Test
  void everyArnIamRefusesIsAProblemOfItsStatementReadDirectlyAndThroughTheRegistry() throws Exception {
    Map<String, String> refused = refused();
    assertThat(refused).hasSizeGreaterThan(300).containsKey("arn:aws:s3::bkt/data/*");
    // every rule is met (an empty part among fewer than five colons leaves four: an empty partition
    // or service is found first)
    for (String why : List.of("its partition is empty", "its partition \" aws\"", "is no partition's name",
        "names no service", "its service is empty", "holds a wildcard", "which an IAM ARN cannot have",
        "which an S3 bucket or object ARN", "it has only 5 parts")) {
      assertThat(refused.values()).as(why).anyMatch(v -> v.startsWith(why) || v.contains(why));
    }
    List<String> resources = List.copyOf(refused.keySet());
    for (String effect : List.of("Allow", "Deny")) {
      for (String element : List.of("Resource", "NotResource")) {
        List<String> statements = resources.stream().map(r -> statement(effect, element, r)).toList();
        String document = document(statements);
        List<String> direct = new ArrayList<>();
        List<String> inline = new ArrayList<>();
        List<String> file = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
          String what = "statement " + (i + 1) + ", line " + (i + 2) + ": " + element + " \"" + resources.get(i)
              + "\" is not an ARN IAM accepts: " + refused.get(resources.get(i)) + HOW;
          direct.add("p.json: " + what);
          inline.add("r.yaml:" + DOCUMENT_LINE + ": roles[0].policy_files.permissions[0]: inline document: "
              + what.replace(", line " + (i + 2), ", line " + (DOCUMENT_LINE + i + 1)));
          file.add("r.yaml:" + DOCUMENT_LINE + ": roles[0].policy_files.permissions[0]: p.json: " + what);
        }
        IamPolicyException e = assertThrows(IamPolicyException.class, () -> IamPolicy.parse(document, "p.json"));
        assertThat(e.problems()).as(effect + " " + element).containsExactlyElementsOf(direct);
        assertThat(problems(() -> registryInline(document))).as(effect + " " + element + " inline")
            .containsExactlyElementsOf(escaped(inline));
        assertThat(problems(() -> registryWithFile(document))).as(effect + " " + element + " file")
            .containsExactlyElementsOf(escaped(file));
      }
    }
  }

  /** As a registry problem prints them: on one line, a tab written {@code \t}. */
  private static List<String> escaped(List<String> problems) {
    return problems.stream().map(p -> p.replace("\t", "\\t")).toList();
  }

  /**
   * The Resources of moto's recorded documents (and of issue threads quoting IAM), refused or
   * accepted as IAM answered; and what the guard leaves as written where no answer is recorded.
   */
  @Test
  void whatIamAnsweredIsWhatTheGuardDecides() throws Exception {
    Map<String, String> refusedBy = new LinkedHashMap<>();
    refusedBy.put("arn:aws:s3::example_bucket", "The policy failed legacy parsing");
    refusedBy.put("arn:aws::fdsasf", "The policy failed legacy parsing");
    refusedBy.put("arn:aws::::example_bucket", "The policy failed legacy parsing");
    refusedBy.put("arn:aws", "Resource vendor must be fully qualified and cannot contain regexes.");
    refusedBy.put("arn:error:s3:::example_bucket", "Partition \"error\" is not valid for resource");
    refusedBy.put("arn:error:s3::example_bucket", "Partition \"error\" is not valid for resource");
    refusedBy.put("arn:${ARN_PARTITION}:s3:::sup-rp-uet2", "Partition \"${ARN_PARTITION}\" is not valid for resource");
    refusedBy.put("arn:aws:s3:us-east-1::example_bucket", "can not contain region information.");
    refusedBy.put("arn:aws:iam:us-east-1::example_bucket", "cannot contain region information.");
    for (Map.Entry<String, String> arn : refusedBy.entrySet()) {
      for (String element : List.of("Resource", "NotResource")) {
        String document = document(List.of(statement("Deny", element, arn.getKey()), ALLOW_ALL));
        assertThat(assertThrows(IamPolicyException.class, () -> IamPolicy.parse(document, "p.json")).problems())
            .as(arn.getKey()).singleElement().asString()
            .startsWith("p.json: statement 1, line 2: " + element + " \"" + arn.getKey()
                + "\" is not an ARN IAM accepts: ")
            .contains("; IAM refuses it: \"").contains(arn.getValue()).endsWith(HOW);
      }
    }
    List<String> accepted = List.of(
        // moto's valid documents
        "arn:aws:s3:::example_bucket", "arn:aws:fdsasf", "arn:aws:s33:::example_bucket",
        "arn:aws:cloudwatch:us-east-1::example_bucket", "arn:aws:ec2:us-east-1::example_bucket",
        "arn:aws:invalid-service:::example_bucket", "arn:aws:invalid-service:us-east-1::example_bucket",
        "arn:aws:iam:::user/example_bucket", "arn:aws:iam::*:user/${aws:username}",
        "arn:aws:dynamodb:*:*:table/MyTable",
        "arn:aws:ec2:region:account-id:instance/*", "arn:aws:s3:::HRBucket/Payroll/*",
        "arn:aws:s3:::bucket-name/cognito/application-name/${cognito-identity.amazonaws.com:sub}",
        // S3's regional resources name an account (moto exempts accesspoint/ from the region check)
        "arn:aws:s3:us-west-2:123456789012:accesspoint/ap", "arn:aws:s3:*:*:job/*",
        // no answer recorded: left as written
        "arn:aws:s3:*", "arn:aws:s3:*::bkt/*", "arn:aws:iam:*:123456789012:role/RoleB", "arn:aws*:s3:::bkt/*",
        "arn:aws-iso-b:s3:::bkt/*", "arn:aws-eusc:s3:::bkt/*", "arn:aws:s 3:::bkt/*", "arn:aws:lambda: us-west-2:1:f");
    for (String arn : accepted) {
      for (String element : List.of("Resource", "NotResource")) {
        IamPolicy.parse(document(List.of(statement("Deny", element, arn), ALLOW_ALL)), "p.json");
      }
    }
  }

  @Test
  void aMalformedArnAmongValidOnesIsNamedAtItsOwnLine() throws Exception {
    String document = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "KeepOut", "Effect": "Deny", "Action": ["s3:GetObject", "s3:PutObject"],
           "Resource": ["arn:aws:s3:::bkt/public/*",
                        "arn:aws:s3::bkt/data/*",
                        "arn:aws:s3:::bkt/tmp/*"]},
          {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
        ]}""";
    assertThat(problems(() -> registryWithFile(document))).containsExactly(
        "r.yaml:12: roles[0].policy_files.permissions[0]: p.json: statement \"KeepOut\", line 4: Resource"
            + " \"arn:aws:s3::bkt/data/*\" is not an ARN IAM accepts: it has only 5 parts, yet an empty one (\"::\"):"
            + " a part was left out rather than left empty" + LEGACY + HOW);
    // without the fix, the Deny matched nothing under bkt/data/ and the Allow granted it
    IamPolicy fixed = IamPolicy.parse(document.replace("s3::bkt/data", "s3:::bkt/data"), "p.json");
    assertThat(fixed.evaluate("s3:GetObject", "arn:aws:s3:::bkt/data/x", Map.of())).isEqualTo(IamEffect.DENY);
  }

  /**
   * Each statement form with {@code pattern} and what it decides for {@code request}: with the
   * matching of the Resource element alone (as the guard read every {@code arn:} text before it
   * looked at ARN shapes), a Deny whose element does not apply deciding as the policy without it.
   */
  private static Map<String, IamEffect> formsAndEffects(String pattern, IamRequest request) {
    ResourceElement element = new ResourceElement(List.of(PolicyText.parse(pattern, true, true, p -> {
      throw new AssertionError(p);
    })), false);
    Tri matches = element.matches(request.resource(), request.context());
    Map<String, IamEffect> forms = new LinkedHashMap<>();
    forms.put(statement("Allow", "Resource", pattern).replace("s3:GetObject", "*"),
        matches == Tri.TRUE ? IamEffect.ALLOW : IamEffect.IMPLICIT_DENY);
    forms.put(statement("Deny", "Resource", pattern).replace("s3:GetObject", "*") + ",\n" + ALLOW_ALL,
        matches == Tri.FALSE ? withoutTheDeny(request) : IamEffect.DENY);
    forms.put(statement("Allow", "NotResource", pattern).replace("s3:GetObject", "*"),
        matches == Tri.FALSE ? IamEffect.ALLOW : IamEffect.IMPLICIT_DENY);
    forms.put(statement("Deny", "NotResource", pattern).replace("s3:GetObject", "*") + ",\n" + ALLOW_ALL,
        matches == Tri.TRUE ? withoutTheDeny(request) : IamEffect.DENY);
    return forms;
  }

  /** What the policy decides without its Deny statement: the Allow of every action on every resource. */
  private static IamEffect withoutTheDeny(IamRequest request) {
    try {
      return IamPolicy.parse(document(List.of(ALLOW_ALL)), "p.json").decide(request).effect();
    } catch (IamPolicyException e) {
      throw new AssertionError(e);
    }
  }

  /** Whether {@code document} decides {@code effect}: directly and in a registry, inline (and from a file). */
  private void assertDecides(String document, IamRequest request, IamEffect effect, String as, boolean fromFile)
      throws Exception {
    assertThat(IamPolicy.parse(document, "p.json").decide(request).effect()).as(as).isEqualTo(effect);
    for (Registry r : fromFile ? List.of(registryInline(document), registryWithFile(document))
        : List.of(registryInline(document))) {
      RoleConfig role = r.roles().iterator().next();
      assertThat(role.permissions().decide(request).effect()).as(as).isEqualTo(effect);
    }
  }

  @Test
  void everyArnShapeTheGuardEvaluatesLoadsAndDecidesAsItsPatternSays() throws Exception {
    List<Shape> shapes = everyPartition();
    assertThat(shapes).hasSize(SHAPES.size() * 3);
    for (Shape shape : shapes) {
      Map<String, IamEffect> expected = Map.of(
          statement("Allow", "Resource", shape.pattern()).replace("s3:GetObject", "*"), IamEffect.ALLOW,
          statement("Deny", "Resource", shape.pattern()).replace("s3:GetObject", "*") + ",\n" + ALLOW_ALL,
          IamEffect.DENY,
          statement("Allow", "NotResource", shape.pattern()).replace("s3:GetObject", "*"), IamEffect.IMPLICIT_DENY,
          statement("Deny", "NotResource", shape.pattern()).replace("s3:GetObject", "*") + ",\n" + ALLOW_ALL,
          IamEffect.ALLOW);
      for (Map.Entry<String, IamEffect> statements : expected.entrySet()) {
        assertDecides(document(List.of(statements.getKey())), shape.request(), statements.getValue(),
            shape.pattern() + ": " + statements.getKey(), true);
      }
    }
  }

  /**
   * Short ARNs without an empty part ({@code arn:aws:s3:*}, moto's {@code arn:aws:fdsasf}) and white
   * space outside the partition: IAM accepts them, so they load, in every statement form, and
   * decide for the request of the shape each was made from, and for an S3 object, as the Resource
   * element's matching says, a Deny that does not apply as the policy without it. Both those that
   * match and those that match nothing are met.
   */
  @Test
  void shortArnsWithoutAnEmptyPartAndSpacedOnesLoadAndDecideAsBefore() throws Exception {
    Map<String, Shape> accepted = acceptedShortOrSpaced();
    assertThat(accepted).hasSizeGreaterThan(100)
        .containsKeys("arn:aws:s3:*", "arn:aws:lambda:*", "arn:aws:s 3:::bkt", "arn:aws:iam::1 23456789012:role/RoleB");
    assertThat(accepted.keySet()).anyMatch(arn -> colons(arn).size() == 2).anyMatch(arn -> colons(arn).size() == 4)
        .anyMatch(arn -> arn.contains("\t"));
    // all of them in one document of each form: it loads, directly and through the registry
    for (String effect : List.of("Allow", "Deny")) {
      for (String element : List.of("Resource", "NotResource")) {
        String document = document(accepted.keySet().stream().map(r -> statement(effect, element, r)).toList());
        assertThat(IamPolicy.parse(document, "p.json").statements()).hasSize(accepted.size());
        registryInline(document);
        registryWithFile(document);
      }
    }
    int matching = 0;
    int matchingNothing = 0;
    IamRequest object = SHAPES.get(1).request();
    for (Map.Entry<String, Shape> arn : accepted.entrySet()) {
      for (IamRequest request : List.of(arn.getValue().request(), object)) {
        Map<String, IamEffect> forms = formsAndEffects(arn.getKey(), request);
        if (forms.values().iterator().next() == IamEffect.ALLOW) {
          matching++;
        } else {
          matchingNothing++;
        }
        for (Map.Entry<String, IamEffect> form : forms.entrySet()) {
          // every document loaded from a file above: here directly and inline
          assertDecides(document(List.of(form.getKey())), request, form.getValue(), arn.getKey() + " on "
              + request.resource() + ": " + form.getKey(), false);
        }
      }
    }
    assertThat(matching).isGreaterThan(20);
    assertThat(matchingNothing).isGreaterThan(20);
    // the star ending a short ARN spans the colons IAM's matching lets it span
    IamRequest anyObject = IamRequest.of("s3:GetObject", "arn:aws:s3:::bkt/k", RequestContext.UNKNOWN_ALL);
    assertThat(IamPolicy.parse(document(List.of(statement("Deny", "Resource", "arn:aws:s3:*"), ALLOW_ALL)), "p.json")
        .decide(anyObject).effect()).isEqualTo(IamEffect.DENY);
    assertThat(IamPolicy.parse(document(List.of(statement("Allow", "Resource", "arn:aws:s3:*"))), "p.json")
        .decide(anyObject).effect()).isEqualTo(IamEffect.ALLOW);
  }

  @Test
  void aStatementAboutOtherActionsKeepsTheProblemOfAnArnIamRefusesAndIsSkipped() throws Exception {
    Set<String> resources = refused().keySet();
    List<String> statements = new ArrayList<>();
    for (String resource : resources) {
      statements.add("{\"Effect\": \"Deny\", \"Action\": [\"ec2:*\", \"cloudwatch:PutMetricData\"],"
          + " \"Resource\": " + json(resource) + "}");
    }
    statements.add("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bkt/*\"}");
    String document = document(statements);

    IamPolicy policy = IamPolicy.parse(document, "p.json");
    for (int i = 0; i < resources.size(); i++) {
      IamStatement skipped = policy.statements().get(i);
      assertThat(skipped.skipped()).isTrue();
      assertThat(skipped.skippedProblems()).singleElement().asString()
          .startsWith("p.json: statement " + (i + 1) + ", line " + (i + 2) + ": Resource ")
          .contains(" is not an ARN IAM accepts: ");
    }
    assertThat(policy.evaluate("s3:GetObject", "arn:aws:s3:::bkt/k", Map.of())).isEqualTo(IamEffect.ALLOW);
    for (Registry registry : List.of(registryInline(document), registryWithFile(document))) {
      assertThat(registry.roles().iterator().next().permissions()
          .decide(IamRequest.of("s3:GetObject", "arn:aws:s3:::bkt/k", RequestContext.UNKNOWN_ALL)).effect())
          .isEqualTo(IamEffect.ALLOW);
    }
  }

  /**
   * IAM reads the text as written: a colon in a policy variable counts as a colon (moto counts them
   * so), and a region holding a variable is no region written out in Version 2012-10-17, while in
   * Version 2008-10-17 (or none) {@code ${...}} is text.
   */
  @Test
  void colonsInAPolicyVariableCountAndARegionHoldingOneIsNoRegionWrittenOut() throws Exception {
    String fiveColons = "arn:aws:s3::bkt/${aws:username}/*";
    String regional = "arn:aws:iam:${aws:RequestedRegion}:123456789012:role/RoleB";
    for (String version : List.of("\"Version\": \"2012-10-17\", ", "\"Version\": \"2008-10-17\", ", "")) {
      IamPolicy policy = IamPolicy.parse("{" + version + "\"Statement\": ["
          + statement("Deny", "Resource", fiveColons) + ", " + ALLOW_ALL + "]}", "p.json");
      // as before: it matches nothing, the text being an ARN short of a part, or only itself as text
      assertThat(policy.evaluate("s3:GetObject", "arn:aws:s3:::bkt/alice/x", Map.of("aws:username", "alice")))
          .as(version).isEqualTo(IamEffect.ALLOW);
    }
    assertThat(assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse(document(List.of(statement("Deny", "Resource", "arn:aws:s3::bkt/alice/*"))), "p.json"))
        .problems()).singleElement().asString().contains("it has only 5 parts, yet an empty one");
    IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + statement("Deny", "Resource", regional) + "]}",
        "p.json");
    for (String version : List.of("\"Version\": \"2008-10-17\", ", "")) {
      assertThat(assertThrows(IamPolicyException.class, () -> IamPolicy.parse("{" + version + "\"Statement\": ["
          + statement("Deny", "Resource", regional) + "]}", "p.json")).problems()).singleElement().asString()
          .contains("it names region \"${aws\", which an IAM ARN cannot have");
    }
  }

  @Test
  void aProblemQuotingACredentialPastedIntoAnArnMasksIt() {
    String key = "AKIA" + "IOSFODNN7EXAMPLE";
    String secret = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";
    // the message goes through RegistryProblem, which masks what SecretText knows as a credential
    for (String resource : List.of("arn:aws:s3::" + key + "/x", "arn:aws:s3:" + secret, "arn:" + key + ":s3:::b")) {
      String problem = problems(() -> registryInline(document(List.of(statement("Deny", "Resource", resource)))))
          .get(0);
      assertThat(problem).contains(" is not an ARN IAM accepts: ").contains(SecretText.MASK)
          .doesNotContain(key).doesNotContain(secret);
    }
  }
}
