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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Resource or NotResource ARN short of a part ({@code arn:aws:s3::bkt/data/*}), with an empty
 * partition or service, a wildcard in its service or white space before its resource is a problem
 * of its statement, in an Allow and a Deny, read directly and through the registry (inline and from
 * a file), naming the element, the value, the registry path and the line (probe 24c F5: such an ARN
 * loaded and matched nothing, so a Deny with it denied nothing, in a document IAM refuses). Every
 * ARN shape the guard evaluates, in each partition, with wildcards and policy variables, loads
 * and decides as the pattern says; a statement about other actions keeps its problem and is
 * skipped.
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
  private static final String HOW = "; an ARN has six parts, arn:partition:service:region:account:resource, of which"
      + " region and account may be empty but not left out (S3 objects: arn:aws:s3:::bucket/key)";

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

  /** The indices of the colons of {@code arn} outside its policy variables. */
  private static List<Integer> colons(String arn) {
    List<Integer> at = new ArrayList<>();
    int depth = 0;
    for (int i = 0; i < arn.length(); i++) {
      if (arn.startsWith("${", i)) {
        depth++;
      } else if (arn.charAt(i) == '}' && depth > 0) {
        depth--;
      } else if (arn.charAt(i) == ':' && depth == 0) {
        at.add(i);
      }
    }
    return at;
  }

  /** {@code arn} with part {@code index} (1 partition, 2 service, 3 region, 4 account) replaced by {@code part}. */
  private static String withPart(String arn, int index, String part) {
    List<Integer> at = colons(arn);
    return arn.substring(0, at.get(index - 1) + 1) + part + arn.substring(at.get(index));
  }

  /**
   * Each malformed ARN with what its problem says is wrong, made from every shape: every way of
   * losing any of the four colons after {@code arn:} that end a part (leaving 0 to 3 of them: 2 to
   * 5 parts), the ARN cut before or after each of them, an empty partition or service, a wildcard in
   * the service, a space or a tab in each part before the resource.
   */
  private static Map<String, String> malformed() {
    Map<String, String> wrong = new LinkedHashMap<>();
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
          shortOfParts(wrong, text.toString());
        }
      }
      for (int c = 1; c < 5; c++) {
        shortOfParts(wrong, arn.substring(0, at.get(c)));
        shortOfParts(wrong, arn.substring(0, at.get(c) + 1));
      }
      wrong.putIfAbsent(withPart(arn, 1, ""), "its partition is empty");
      wrong.putIfAbsent(withPart(arn, 2, ""), "its service is empty");
      for (String service : List.of("*", "s*", "?3", "lamb?a")) {
        wrong.putIfAbsent(withPart(arn, 2, service), "its service \"" + service + "\" holds a wildcard, which IAM"
            + " refuses (\"Resource vendor must be fully qualified and cannot contain regexes\"): write one ARN per service");
      }
      List<String> names = List.of("partition", "service", "region", "account");
      for (int part = 1; part <= 4; part++) {
        String written = arn.substring(at.get(part - 1) + 1, at.get(part));
        String spaced = written.isEmpty() || written.startsWith("${") ? " " : written.charAt(0) + " " + written.substring(1);
        wrong.putIfAbsent(withPart(arn, part, spaced), "its " + names.get(part - 1) + " \"" + spaced + "\" holds white space");
        wrong.putIfAbsent(withPart(arn, part, written + "\t"), "its " + names.get(part - 1) + " \"" + written
            + "\t\" holds white space");
      }
    }
    return wrong;
  }

  /** Adds {@code arn} when it has fewer than six parts; a colon of the resource part (function:f:prod) may still make them up. */
  private static void shortOfParts(Map<String, String> wrong, String arn) {
    int parts = colons(arn).size() + 1;
    if (parts < 6) {
      wrong.putIfAbsent(arn, "it has " + parts + " parts");
    }
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
  void everyMalformedArnIsAProblemOfItsStatementReadDirectlyAndThroughTheRegistry() throws Exception {
    Map<String, String> wrong = malformed();
    assertThat(wrong).hasSizeGreaterThan(300).containsKey("arn:aws:s3::bkt/data/*")
        .containsValues("it has 2 parts", "it has 3 parts", "it has 4 parts", "it has 5 parts");
    List<String> resources = List.copyOf(wrong.keySet());
    for (String effect : List.of("Allow", "Deny")) {
      for (String element : List.of("Resource", "NotResource")) {
        List<String> statements = resources.stream().map(r -> statement(effect, element, r)).toList();
        String document = document(statements);
        List<String> direct = new ArrayList<>();
        List<String> inline = new ArrayList<>();
        List<String> file = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
          String what = "statement " + (i + 1) + ", line " + (i + 2) + ": " + element + " \"" + resources.get(i)
              + "\" is not an ARN: " + wrong.get(resources.get(i)) + HOW;
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
            + " \"arn:aws:s3::bkt/data/*\" is not an ARN: it has 5 parts" + HOW);
    // without the fix, the Deny matched nothing under bkt/data/ and the Allow granted it
    IamPolicy fixed = IamPolicy.parse(document.replace("s3::bkt/data", "s3:::bkt/data"), "p.json");
    assertThat(fixed.evaluate("s3:GetObject", "arn:aws:s3:::bkt/data/x", Map.of())).isEqualTo(IamEffect.DENY);
  }

  @Test
  void everyArnShapeTheGuardEvaluatesLoadsAndDecidesAsItsPatternSays() throws Exception {
    List<Shape> shapes = everyPartition();
    assertThat(shapes).hasSize(SHAPES.size() * 3);
    for (Shape shape : shapes) {
      Map<String, IamEffect> expected = Map.of(
          statement("Allow", "Resource", shape.pattern()).replace("s3:GetObject", "*"), IamEffect.ALLOW,
          statement("Deny", "Resource", shape.pattern()).replace("s3:GetObject", "*")
              + ",\n{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}", IamEffect.DENY,
          statement("Allow", "NotResource", shape.pattern()).replace("s3:GetObject", "*"), IamEffect.IMPLICIT_DENY,
          statement("Deny", "NotResource", shape.pattern()).replace("s3:GetObject", "*")
              + ",\n{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}", IamEffect.ALLOW);
      RequestContext.Builder context = RequestContext.builder();
      shape.context().forEach(context::put);
      IamRequest request = IamRequest.of(shape.action(), shape.resource(), context.build());
      for (Map.Entry<String, IamEffect> statements : expected.entrySet()) {
        String document = document(List.of(statements.getKey()));
        String as = shape.pattern() + ": " + statements.getKey();
        assertThat(IamPolicy.parse(document, "p.json").decide(request).effect()).as(as).isEqualTo(statements.getValue());
        for (Registry registry : List.of(registryInline(document), registryWithFile(document))) {
          RoleConfig role = registry.roles().iterator().next();
          assertThat(role.permissions().decide(request).effect()).as(as).isEqualTo(statements.getValue());
        }
      }
    }
  }

  @Test
  void aStatementAboutOtherActionsKeepsItsMalformedArnAndIsSkipped() throws Exception {
    Set<String> resources = new LinkedHashSet<>(malformed().keySet());
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
          .startsWith("p.json: statement " + (i + 1) + ", line " + (i + 2) + ": Resource ").contains(" is not an ARN: ");
    }
    assertThat(policy.evaluate("s3:GetObject", "arn:aws:s3:::bkt/k", Map.of())).isEqualTo(IamEffect.ALLOW);
    for (Registry registry : List.of(registryInline(document), registryWithFile(document))) {
      assertThat(registry.roles().iterator().next().permissions()
          .decide(IamRequest.of("s3:GetObject", "arn:aws:s3:::bkt/k", RequestContext.UNKNOWN_ALL)).effect())
          .isEqualTo(IamEffect.ALLOW);
    }
  }

  @Test
  void colonsInAPolicyVariableMakeNoPartButDoWhereDollarBraceIsText() throws Exception {
    String shortOfAPart = "arn:aws:s3::bkt/${aws:username}/*";
    // Version 2012-10-17: ${aws:username} is a variable, whose colon separates nothing
    assertThat(assertThrows(IamPolicyException.class,
        () -> IamPolicy.parse(document(List.of(statement("Deny", "Resource", shortOfAPart))), "p.json")).problems())
        .containsExactly("p.json: statement 1, line 2: Resource \"" + shortOfAPart + "\" is not an ARN: it has 5 parts" + HOW);
    // Version 2008-10-17 (or none): the same text is six parts, the last "username}/*"
    for (String version : List.of("\"Version\": \"2008-10-17\", ", "")) {
      IamPolicy plain = IamPolicy.parse("{" + version + "\"Statement\": ["
          + statement("Allow", "Resource", shortOfAPart) + "]}", "p.json");
      assertThat(plain.evaluate("s3:GetObject", shortOfAPart, Map.of())).isEqualTo(IamEffect.ALLOW);
    }
  }

  @Test
  void aProblemQuotingACredentialPastedIntoAnArnMasksIt() {
    String key = "AKIA" + "IOSFODNN7EXAMPLE";
    String secret = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";
    // the message goes through RegistryProblem, which masks what SecretText knows as a credential
    for (String resource : List.of("arn:aws:s3::" + key + "/x", "arn:aws:s3:" + secret)) {
      String problem = problems(() -> registryInline(document(List.of(statement("Deny", "Resource", resource)))))
          .get(0);
      assertThat(problem).contains(" is not an ARN: it has ").contains(SecretText.MASK)
          .doesNotContain(key).doesNotContain(secret);
    }
  }
}
