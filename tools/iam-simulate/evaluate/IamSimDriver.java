package dev.iamguard.policy.iam;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Throwaway differential driver (fyC): generates classes of IAM documents and requests, asks
 * iamguard, and writes one JSON line per case for the simulator script (sim.js) to answer too.
 * Run: java -cp target/classes:target/test-classes:... dev.iamguard.policy.iam.IamSimDriver SEED COUNT OUT
 */
public final class IamSimDriver {

  static final String ACCOUNT = "111122223333";
  static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/Target";

  /** Keys the generator uses: every one not put in a case's context is absent there. */
  static final List<String> KEYS = List.of("aws:username", "aws:SourceAccount", "aws:PrincipalTag/team",
      "s3:prefix", "aws:SecureTransport", "aws:CurrentTime", "aws:EpochTime", "aws:SourceIp", "aws:TagKeys",
      "aws:userid", "aws:x", "s3:max-keys", "sts:ExternalId", "aws:SourceArn", "aws:PrincipalArn",
      "aws:PrincipalServiceNamesList", "aws:MultiFactorAuthPresent");

  final Random random;
  final List<String> lines = new ArrayList<>();
  int id;

  IamSimDriver(long seed) {
    random = new Random(seed);
  }

  public static void main(String[] args) throws Exception {
    long seed = Long.parseLong(args[0]);
    int count = Integer.parseInt(args[1]);
    IamSimDriver d = new IamSimDriver(seed);
    for (int i = 0; i < count; i++) {
      d.oneOfEach();
    }
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[2])))) {
      d.lines.forEach(out::println);
    }
  }

  <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  void oneOfEach() {
    actionCase();
    resourceCase();
    conditionCase(false);
    conditionCase(true);
    variableCase();
    principalCase();
    trustConditionCase();
    setCase();
    multiCase();
    prefixCase();
  }

  static final List<String> PREFIX_PATTERNS = List.of("arn:aws:s3:::bucket/data/*", "arn:aws:s3:::bucket/*",
      "arn:aws:s3:::bucket/data*", "arn:aws:s3:::bucket/d?ta/*", "arn:aws:s3:::bucket/data/?*", "arn:aws:s3:::bucket/*/x",
      "arn:aws:s3:::bucket/data/**", "arn:aws:s3:::bucket/data/", "arn:aws:s3:::bucket/data/?", "arn:aws:s3:::*/data/*",
      "arn:aws:s3:::bucket/data/secret*", "arn:aws:s3:::bucket/*:*", "arn:aws:s3:::bucket/data/*?", "arn:aws:s3:::bucket*",
      "arn:aws:s3:::Bucket/data/*", "arn:aws:s3:::bucket/DATA/*", "arn:aws:s3:::bucket/data/${aws:username}/*", "*");
  static final List<String> PREFIXES = List.of("arn:aws:s3:::bucket/", "arn:aws:s3:::bucket/data/",
      "arn:aws:s3:::bucket/data", "arn:aws:s3:::bucket/d", "arn:aws:s3:::bucket/data/secret");
  static final List<String> SUFFIXES = List.of("", "a", "x/y", "a:b", "*", "?", "k.csv", "secret/k", "/", ":",
      "x/", "secretx", "ta/k", "/k", "DATA");

  /**
   * COPY's question: every object under a prefix. The simulator has no such request, so each
   * sampled key under the prefix is asked on its own; compare.py flags a prefix the guard allows
   * where the simulator refuses a sampled key, and a guard whose own per-key answers disagree.
   */
  void prefixCase() {
    List<String> statements = new ArrayList<>();
    List<String> feats = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      String effect = i > 0 && random.nextInt(2) == 0 ? "Deny" : "Allow";
      boolean not = random.nextInt(6) == 0;
      String res = pick(PREFIX_PATTERNS);
      statements.add(stmt(effect, "\"Action\":\"s3:GetObject\"", (not ? "\"NotResource\":" : "\"Resource\":") + q(res), null));
      feats.add(effect + (not ? " NotResource " : " ") + res);
    }
    String prefix = pick(PREFIXES);
    Map<String, List<String>> context = random.nextBoolean() ? Map.of("aws:username", List.of("bob")) : Map.of();
    String policy = policy("2012-10-17", String.join(",", statements));
    String prefixGuard;
    try {
      IamDecision d = IamPolicy.parse(policy, "gen.json").decide(IamRequest.prefix("s3:GetObject", prefix, context(context)));
      prefixGuard = name(d.effect()) + (d.conservativeUsed() ? "/conservative" : "");
    } catch (IamPolicyException e) {
      prefixGuard = "REJECTED";
    }
    String group = "g" + (id + 1);
    for (String suffix : SUFFIXES) {
      List<String> f = new ArrayList<>(List.of(group, "prefix " + prefix, "prefixGuard " + prefixGuard));
      f.addAll(feats);
      identity("prefix", f, policy, "s3:GetObject", prefix + suffix, context);
    }
  }

  // ---------------------------------------------------------------- classes

  static final List<String> ACTION_PATTERNS = List.of("sts:assumerole", "STS:AssumeRole", "sts:Assume*",
      "S3:Get*", "s3:*Object?", "s3:*Object", "s3:G?tObject", "s3:get*", "*", "s3:*", "S3:LISTBUCKET",
      "s3:List*", "s3:*Bucket", "lambda:Invoke*", "s3:*e*", "s3:?etObject", "s3:GetObject*", "s3*",
      "s3:", "s3:Get", "*:GetObject", "s?:GetObject", "s3:GetObject ", "glue:Get*", "kms:*");
  static final List<String> REQUEST_ACTIONS = List.of("s3:GetObject", "s3:ListBucket", "s3:PutObject",
      "s3:DeleteObject", "lambda:InvokeFunction", "glue:GetDatabase", "kms:Decrypt");

  void actionCase() {
    String pattern = pick(ACTION_PATTERNS);
    boolean not = random.nextInt(4) == 0;
    String action = pick(REQUEST_ACTIONS);
    String stmt = stmt("Allow", (not ? "\"NotAction\":" : "\"Action\":") + q(pattern), "\"Resource\":\"*\"", null);
    identity("action", List.of((not ? "NotAction " : "Action ") + pattern), policy("2012-10-17", stmt), action,
        "arn:aws:s3:::bucket/key", Map.of());
  }

  static final List<String> RESOURCE_PATTERNS = List.of("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket*",
      "arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a*c", "arn:aws:s3:::bucket/a?b/c", "arn:aws:s3:::*/key",
      "arn:aws:s3:::bucket/?ey", "arn:aws:*:*:*:*", "arn:aws:s3:::*", "arn:aws:s3:*:*:*", "*",
      "arn:aws:lambda:*:*:function:f*", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:*",
      "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f", "arn:aws:lambda:us-east-1:*:function:f:*",
      "arn:aws:lambda:us-east-1:" + ACCOUNT + ":*", "arn:aws:lambda:*", "arn:aws:lambda:*:*:*:f",
      "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f?prod", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:*:prod",
      "arn:aws:s3:::bucket/a*", "arn:aws:s3:::bucket/a:*", "arn:aws:s3:::bucket/*/c", "ARN:AWS:S3:::bucket/*",
      "arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket/KEY", "arn:aws:glue:us-east-1:" + ACCOUNT + ":database/*",
      "arn:aws:glue:*:*:*", "arn:aws:s3:::b?cket/*", "arn:aws:s3:::bucket/*key", "arn:aws:s3:::bucket/**",
      "arn:*:s3:::bucket/*", "arn:aws:s3:::bucket");
  static final List<String> RESOURCES = List.of("arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket",
      "arn:aws:s3:::bucket/a:b/c", "arn:aws:s3:::bucket/abc", "arn:aws:s3:::bucket/a/b/c", "arn:aws:s3:::Bucket/key",
      "arn:aws:s3:::bucket/KEY", "arn:aws:s3:::bucket/a:c", "arn:aws:s3:::bucket2/key",
      "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f:prod",
      "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:fx", "arn:aws:glue:us-east-1:" + ACCOUNT + ":database/db",
      "arn:aws:glue:us-east-1:" + ACCOUNT + ":catalog");

  void resourceCase() {
    List<String> patterns = new ArrayList<>();
    int n = 1 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      patterns.add(pick(RESOURCE_PATTERNS));
    }
    boolean not = random.nextInt(4) == 0;
    String resource = pick(RESOURCES);
    String action = resource.contains(":lambda:") ? "lambda:InvokeFunction"
        : resource.contains(":glue:") ? "glue:GetDatabase" : "s3:GetObject";
    String stmt = stmt("Allow", "\"Action\":\"*\"", (not ? "\"NotResource\":" : "\"Resource\":") + qs(patterns), null);
    identity("resource", List.of((not ? "NotResource " : "Resource ") + patterns), policy("2012-10-17", stmt), action,
        resource, Map.of());
  }

  /** A condition family: key, policy values, request values. */
  record Family(String key, List<String> keySpellings, List<String> ops, List<String> policyValues,
      List<String> requestValues) {}

  static final List<Family> FAMILIES = List.of(
      new Family("aws:PrincipalTag/team", List.of("aws:PrincipalTag/team", "aws:principaltag/team", "AWS:PrincipalTag/TEAM"),
          List.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
              "StringLike", "StringNotLike"),
          List.of("Data", "data", "da*", "d?ta", "DATA", "*", "", "d*", "${aws:username}", "${*}", "d${?}ta", "x"),
          List.of("data", "Data", "dAta", "d*ta", "da", "", "DATA")),
      new Family("aws:SourceAccount", List.of("aws:SourceAccount", "aws:sourceaccount", "AWS:SOURCEACCOUNT"),
          List.of("StringEquals", "StringNotEquals", "StringLike", "NumericEquals", "NumericNotEquals"),
          List.of(ACCOUNT, "111122223333 ", "1111*", "444455556666", "0111122223333"),
          List.of(ACCOUNT, "444455556666")),
      new Family("s3:max-keys", List.of("s3:max-keys", "S3:Max-Keys"),
          List.of("NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
              "NumericGreaterThanEquals"),
          List.of("10", "10.0", "1e1", "+10", "010", " 10", "0x0A", "-0", "10.5", "9", "11", "1E1", ".5", "10.",
              "1_0", "NaN", "Infinity", "1,000"),
          List.of("10", "10.0", "1e1", "+10", "9", "11", "010", "abc", "0.5", "-0", "1000", "NaN")),
      new Family("aws:CurrentTime", List.of("aws:CurrentTime", "aws:currenttime"),
          List.of("DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
              "DateGreaterThanEquals"),
          List.of("2024-01-01T00:00:00Z", "2024-01-01", "2024", "1704067200", "2024-01-01T00:00Z",
              "2024-01-01T00:00:00.000Z", "2024-01-01T01:00:00+01:00", "2024-01-01T00:00:00", "2024-1-1",
              "20240101T000000Z", "2024-01-01 00:00:00Z", "1704067200000", "2023-12-31T23:59:59Z"),
          List.of("2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z", "2023-12-31T23:59:59Z", "1704067200",
              "2024-01-01", "garbage")),
      new Family("aws:SecureTransport", List.of("aws:SecureTransport", "aws:securetransport"),
          List.of("Bool", "StringEquals", "StringEqualsIgnoreCase"),
          List.of("true", "TRUE", "True", "false", "FALSE", "yes", "1"),
          List.of("true", "false", "TRUE", "True")),
      new Family("aws:SourceIp", List.of("aws:SourceIp", "aws:sourceip"),
          List.of("IpAddress", "NotIpAddress"),
          List.of("10.0.0.0/8", "10.0.0.1", "10.0.0.1/32", "2001:db8::/32", "10.0.0.0/33", "10.0.0.0/0", "10.1.2.3/8",
              "010.000.000.001", "2001:DB8::/32", "::ffff:10.0.0.1"),
          List.of("10.1.2.3", "11.0.0.1", "2001:db8::1", "10.0.0.1", "::ffff:10.0.0.1")),
      new Family("aws:SourceArn", List.of("aws:SourceArn", "aws:sourcearn"),
          List.of("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "StringEquals", "StringLike"),
          List.of("arn:aws:s3:::bucket", "arn:aws:s3:::buck*", "arn:aws:s3:::*", "arn:aws:*:*:*:*",
              "ARN:AWS:S3:::bucket", "arn:aws:lambda:*:*:function:f*", "arn:aws:s3:::bucket/a:b",
              "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:*", "arn:aws:lambda:us-east-1:*:function:f",
              "arn:aws:s3:::?ucket", "arn:aws:lambda:*:*:*", "arn:aws:lambda:*:*:*:*", "arn:aws:lambda:us-east-1:*",
              "arn:aws:s3:::bucket*", "*"),
          List.of("arn:aws:s3:::bucket", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f:prod",
              "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f", "arn:aws:s3:::bucket/a:b", "ARN:AWS:S3:::BUCKET",
              "arn:aws:s3:::Bucket", "not-an-arn")),
      new Family("aws:MultiFactorAuthPresent", List.of("aws:MultiFactorAuthPresent"),
          List.of("Null"), List.of("true", "false", "TRUE", "False"), List.of("true", "false")),
      new Family("aws:userid", List.of("aws:userid"),
          List.of("Null", "BinaryEquals"), List.of("true", "false", "QmluYXJ5VmFsdWU=", "YWJj"),
          List.of("QmluYXJ5VmFsdWU=", "abc", "YWJj")));

  void conditionCase(boolean deny) {
    Family f = pick(FAMILIES);
    String op = pick(f.ops());
    if (!op.equals("Null")) {
      int r = random.nextInt(4);
      if (r == 0) {
        op = op + "IfExists";
      }
    }
    String spelled = pick(f.keySpellings());
    List<String> values = new ArrayList<>();
    int n = 1 + random.nextInt(random.nextInt(3) == 0 ? 3 : 1);
    for (int i = 0; i < n; i++) {
      values.add(pick(f.policyValues()));
    }
    Map<String, List<String>> context = new LinkedHashMap<>();
    if (random.nextInt(4) != 0) {
      context.put(f.key(), List.of(pick(f.requestValues())));
    }
    if (random.nextInt(3) == 0) {
      context.put("aws:username", List.of(pick(List.of("data", "Data", "bob", "d*ta"))));
    }
    String cond = "{" + q(op) + ":{" + q(spelled) + ":" + (values.size() == 1 && random.nextBoolean() ? q(values.get(0))
        : qs(values)) + "}}";
    String policy;
    if (deny) {
      policy = policy("2012-10-17", stmt("Allow", "\"Action\":\"s3:*\"", "\"Resource\":\"*\"", null) + ","
          + stmt("Deny", "\"Action\":\"s3:GetObject\"", "\"Resource\":\"*\"", cond));
    } else {
      policy = policy("2012-10-17", stmt("Allow", "\"Action\":\"s3:GetObject\"", "\"Resource\":\"*\"", cond));
    }
    identity(deny ? "conditionDeny" : "condition", List.of(op, spelled + "=" + values, "ctx=" + context), policy,
        "s3:GetObject", "arn:aws:s3:::bucket/key", context);
  }

  void setCase() {
    String op = pick(List.of("ForAllValues:StringEquals", "ForAnyValue:StringEquals", "ForAllValues:StringLike",
        "ForAnyValue:StringLike", "ForAllValues:StringNotEquals", "ForAnyValue:StringNotEquals",
        "ForAllValues:StringEqualsIfExists", "ForAnyValue:StringEqualsIfExists", "ForAnyValue:StringNotLike",
        "ForAllValues:StringNotLike", "StringEquals", "StringNotEquals", "StringLike",
        "ForAllValues:StringEqualsIgnoreCase", "ForAnyValue:ArnLike", "ForAllValues:NumericLessThan"));
    String key = pick(List.of("aws:TagKeys", "aws:PrincipalServiceNamesList", "aws:tagkeys"));
    List<String> values = new ArrayList<>();
    int n = 1 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      values.add(pick(List.of("a", "b", "A", "a*", "c", "5")));
    }
    Map<String, List<String>> context = new LinkedHashMap<>();
    int r = random.nextInt(5);
    String canonical = key.equalsIgnoreCase("aws:TagKeys") ? "aws:TagKeys" : key;
    if (r == 1) {
      context.put(canonical, List.of("a"));
    } else if (r == 2) {
      context.put(canonical, List.of("a", "b"));
    } else if (r == 3) {
      context.put(canonical, List.of("a", "c"));
    } else if (r == 4) {
      context.put(canonical, List.of("A", "3"));
    }
    boolean deny = random.nextBoolean();
    String cond = "{" + q(op) + ":{" + q(key) + ":" + qs(values) + "}}";
    String policy = deny
        ? policy("2012-10-17", stmt("Allow", "\"Action\":\"s3:*\"", "\"Resource\":\"*\"", null) + ","
            + stmt("Deny", "\"Action\":\"s3:GetObject\"", "\"Resource\":\"*\"", cond))
        : policy("2012-10-17", stmt("Allow", "\"Action\":\"s3:GetObject\"", "\"Resource\":\"*\"", cond));
    identity(deny ? "setDeny" : "set", List.of(op, key + "=" + values, "ctx=" + context), policy, "s3:GetObject",
        "arn:aws:s3:::bucket/key", context);
  }

  void variableCase() {
    String version = pick(List.of("2012-10-17", "2012-10-17", "2012-10-17", "2008-10-17", ""));
    String pattern = pick(List.of("arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/${aws:username, 'bob'}/*",
        "arn:aws:s3:::bucket/${aws:x, 'bob'}/*", "arn:aws:s3:::bucket/${aws:x}/*", "arn:aws:s3:::bucket/${*}",
        "arn:aws:s3:::bucket/${?}", "arn:aws:s3:::bucket/$${$}", "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*",
        "arn:aws:s3:::bucket/${AWS:USERNAME}/*", "arn:aws:s3:::bucket/${aws:username}", "arn:aws:s3:::bucket/${ aws:username }/*",
        "arn:aws:s3:::bucket/${aws:username,'bob'}/*", "arn:aws:s3:::bucket/${aws:username, \"bob\"}/*",
        "arn:aws:s3:::bucket/${aws:SourceAccount}/*", "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::bucket/${aws:username}*"));
    String resource = pick(List.of("arn:aws:s3:::bucket/bob/k", "arn:aws:s3:::bucket/Bob/k", "arn:aws:s3:::bucket/*",
        "arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/$$", "arn:aws:s3:::bucket/${aws:username}/k",
        "arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/x", "arn:aws:s3:::bucket/" + ACCOUNT + "/k",
        "arn:aws:s3:::bucket/data/k", "arn:aws:s3:::bucket/bob", "arn:aws:s3:::bob/k", "arn:aws:s3:::bucket/bobby"));
    Map<String, List<String>> context = new LinkedHashMap<>();
    int r = random.nextInt(4);
    if (r == 1) {
      context.put("aws:username", List.of("bob"));
    } else if (r == 2) {
      context.put("aws:username", List.of(pick(List.of("Bob", "*", "b?b", "data", "bob/k"))));
    }
    if (random.nextBoolean()) {
      context.put("aws:PrincipalTag/team", List.of("data"));
    }
    if (random.nextBoolean()) {
      context.put("aws:SourceAccount", List.of(ACCOUNT));
    }
    boolean not = random.nextInt(4) == 0;
    boolean deny = random.nextInt(3) == 0;
    String stmt = stmt(deny ? "Deny" : "Allow", "\"Action\":\"s3:GetObject\"",
        (not ? "\"NotResource\":" : "\"Resource\":") + q(pattern), null);
    String policy = deny ? policy(version, stmt("Allow", "\"Action\":\"s3:*\"", "\"Resource\":\"*\"", null) + "," + stmt)
        : policy(version, stmt);
    identity(deny ? "variableDeny" : "variable", List.of("v" + version, (not ? "NotResource " : "Resource ") + pattern,
        "ctx=" + context), policy, "s3:GetObject", resource, context);
    // the same variables in a condition value
    String op = pick(List.of("StringEquals", "StringLike", "StringNotEquals", "StringNotLike", "ArnLike"));
    String value = pick(List.of("${aws:username}", "${aws:username}/*", "${aws:x, 'bob'}", "${aws:x}", "${*}", "b${?}b",
        "${aws:username, 'bob'}", "arn:aws:s3:::bucket/${aws:username}"));
    String key = op.startsWith("Arn") ? "aws:SourceArn" : "s3:prefix";
    Map<String, List<String>> c2 = new LinkedHashMap<>(context);
    c2.put(key, List.of(pick(op.startsWith("Arn") ? List.of("arn:aws:s3:::bucket/bob", "arn:aws:s3:::bucket/x")
        : List.of("bob", "bob/x", "*", "b?b", "${aws:username}", "x", "Bob"))));
    String cond = "{" + q(op) + ":{" + q(key) + ":" + q(value) + "}}";
    String p2 = deny ? policy(version, stmt("Allow", "\"Action\":\"s3:*\"", "\"Resource\":\"*\"", null) + ","
        + stmt("Deny", "\"Action\":\"s3:GetObject\"", "\"Resource\":\"*\"", cond))
        : policy(version, stmt("Allow", "\"Action\":\"s3:GetObject\"", "\"Resource\":\"*\"", cond));
    identity(deny ? "condVariableDeny" : "condVariable", List.of("v" + version, op, value, "ctx=" + c2), p2, "s3:GetObject",
        "arn:aws:s3:::bucket/key", c2);
  }

  static final List<String> PRINCIPALS = List.of("\"*\"", "{\"AWS\":\"*\"}", "{\"AWS\":\"" + ACCOUNT + "\"}",
      "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"}", "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":role/A\"}",
      "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":role/a\"}", "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":role/path/A\"}",
      "{\"AWS\":\"arn:aws:iam::444455556666:root\"}", "{\"AWS\":[\"444455556666\",\"arn:aws:iam::" + ACCOUNT + ":role/A\"]}",
      "{\"Service\":\"redshift.amazonaws.com\"}", "{\"Service\":\"Redshift.amazonaws.com\"}",
      "{\"Service\":[\"redshift.amazonaws.com\",\"lambda.amazonaws.com\"]}", "{\"Service\":\"redshift.us-east-1.amazonaws.com\"}",
      "{\"Service\":\"redshift-serverless.amazonaws.com\"}", "{\"AWS\":\"arn:aws:sts::" + ACCOUNT + ":assumed-role/A/s\"}",
      "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":user/A\"}", "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":role/*\"}",
      "{\"Federated\":\"cognito-identity.amazonaws.com\"}", "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":ROOT\"}",
      "{\"AWS\":\"AROAEXAMPLEID12345678\"}");
  static final List<String> CALLERS = List.of("redshift.amazonaws.com", "arn:aws:iam::" + ACCOUNT + ":role/A",
      "arn:aws:iam::444455556666:role/A", "arn:aws:iam::" + ACCOUNT + ":role/path/A", "arn:aws:iam::" + ACCOUNT + ":role/B");

  void principalCase() {
    String principal = pick(PRINCIPALS);
    boolean not = random.nextInt(5) == 0;
    String action = pick(List.of("sts:AssumeRole", "sts:assumerole", "sts:*", "*", "sts:AssumeRole*", "sts:Assume?ole"));
    String caller = pick(CALLERS);
    String stmt = "{\"Effect\":" + q(not ? "Deny" : "Allow") + "," + (not ? "\"NotPrincipal\":" : "\"Principal\":")
        + principal + ",\"Action\":" + q(action) + "}";
    String policy = not ? policy("2012-10-17", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"},"
        + stmt) : policy("2012-10-17", stmt);
    trust("principal", List.of((not ? "NotPrincipal " : "Principal ") + principal, action, "caller " + caller), policy,
        caller, Map.of());
  }

  void trustConditionCase() {
    String op = pick(List.of("StringEquals", "StringLike", "StringNotEquals", "StringEqualsIfExists", "StringNotEqualsIfExists",
        "ArnLike", "ArnEquals", "StringEqualsIgnoreCase", "ForAnyValue:StringEquals", "ForAllValues:StringEquals", "Null"));
    String key = pick(List.of("sts:ExternalId", "sts:externalid", "STS:EXTERNALID", "aws:SourceAccount", "aws:sourceaccount",
        "aws:SourceArn", "aws:PrincipalArn", "aws:principalarn"));
    String value = op.equals("Null") ? pick(List.of("true", "false"))
        : pick(List.of("arn:aws:redshift:us-east-1:" + ACCOUNT + ":dbuser:c/u", "arn:aws:redshift:us-east-1:" + ACCOUNT
            + ":dbuser:c/*", "arn:aws:redshift:*:*:dbuser:c/u", ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/A",
            "arn:aws:iam::" + ACCOUNT + ":role/*", "arn:aws:redshift:us-east-1:" + ACCOUNT + ":cluster:c",
            "ARN:aws:redshift:us-east-1:" + ACCOUNT + ":dbuser:c/U"));
    String caller = pick(CALLERS);
    Map<String, List<String>> context = new LinkedHashMap<>();
    if (random.nextInt(4) != 0) {
      context.put("sts:ExternalId", List.of(pick(List.of("arn:aws:redshift:us-east-1:" + ACCOUNT + ":dbuser:c/u",
          "arn:aws:redshift:us-east-1:" + ACCOUNT + ":dbuser:c/U", "x"))));
    }
    if (random.nextBoolean()) {
      context.put("aws:SourceAccount", List.of(ACCOUNT));
    }
    if (random.nextBoolean()) {
      context.put("aws:SourceArn", List.of("arn:aws:redshift:us-east-1:" + ACCOUNT + ":cluster:c"));
    }
    if (!caller.startsWith("redshift") && random.nextBoolean()) {
      context.put("aws:PrincipalArn", List.of(caller));
    }
    String cond = "{" + q(op) + ":{" + q(key) + ":" + q(value) + "}}";
    boolean deny = random.nextInt(3) == 0;
    String principal = caller.startsWith("redshift") ? "{\"Service\":\"redshift.amazonaws.com\"}" : "\"*\"";
    String stmt = "{\"Effect\":" + q(deny ? "Deny" : "Allow") + ",\"Principal\":" + principal
        + ",\"Action\":\"sts:AssumeRole\",\"Condition\":" + cond + "}";
    String policy = deny ? policy("2012-10-17", "{\"Effect\":\"Allow\",\"Principal\":" + principal
        + ",\"Action\":\"sts:AssumeRole\"}," + stmt) : policy("2012-10-17", stmt);
    trust(deny ? "trustConditionDeny" : "trustCondition", List.of(op, key + "=" + value, "caller " + caller,
        "ctx=" + context), policy, caller, context);
  }

  void multiCase() {
    List<String> statements = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    List<String> feats = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String effect = random.nextInt(3) == 0 ? "Deny" : "Allow";
      String action = pick(ACTION_PATTERNS);
      String res = pick(RESOURCE_PATTERNS);
      statements.add(stmt(effect, "\"Action\":" + q(action), "\"Resource\":" + q(res), null));
      feats.add(effect + " " + action + " " + res);
    }
    String resource = pick(RESOURCES);
    String action = pick(REQUEST_ACTIONS);
    identity("multi", feats, policy("2012-10-17", String.join(",", statements)), action, resource, Map.of());
  }

  // ---------------------------------------------------------------- documents and answers

  static String stmt(String effect, String action, String resource, String condition) {
    return "{\"Effect\":" + q(effect) + "," + action + "," + resource + (condition == null ? "" : ",\"Condition\":" + condition)
        + "}";
  }

  static String policy(String version, String statements) {
    return "{" + (version.isEmpty() ? "" : "\"Version\":" + q(version) + ",") + "\"Statement\":[" + statements + "]}";
  }

  static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  static String qs(List<String> values) {
    return "[" + String.join(",", values.stream().map(IamSimDriver::q).toList()) + "]";
  }

  static RequestContext context(Map<String, List<String>> present) {
    RequestContext.Builder b = RequestContext.builder();
    KEYS.forEach(b::absent);
    present.forEach((k, v) -> b.put(k, v));
    return b.build();
  }

  static String contextJson(Map<String, List<String>> present) {
    List<String> parts = new ArrayList<>();
    present.forEach((k, v) -> parts.add(q(k) + ":" + (v.size() == 1 ? q(v.get(0)) : qs(v))));
    return "{" + String.join(",", parts) + "}";
  }

  void identity(String cls, List<String> features, String policyJson, String action, String resource,
      Map<String, List<String>> present) {
    String[] answer = judge(policyJson, IamPolicy.Kind.PERMISSIONS,
        p -> p.decide(IamRequest.of(action, resource, context(present))));
    emit(cls, features, "identity", policyJson, action, resource, null, present, answer[0], answer[1]);
  }

  /** The guard's answer and its notes: the document read as {@code kind} and decided by {@code decide}. */
  static String[] judge(String policyJson, IamPolicy.Kind kind, java.util.function.Function<IamPolicy, IamDecision> decide) {
    try {
      IamPolicy p = IamPolicy.parse(policyJson, "gen.json");
      if (p.kind() != kind) {
        return new String[] {"KIND_" + p.kind(), ""};
      }
      IamDecision d = decide.apply(p);
      return new String[] {name(d.effect()), d.conservativeUsed() ? "conservative" : ""};
    } catch (IamPolicyException e) {
      return new String[] {"REJECTED", e.getMessage().replace('\n', ' ')};
    } catch (RuntimeException e) {
      return new String[] {"THREW", e.toString()};
    }
  }

  void trust(String cls, List<String> features, String policyJson, String caller, Map<String, List<String>> present) {
    String simPrincipal;
    TrustRequest.Caller c;
    if (caller.startsWith("redshift")) {
      c = new TrustRequest.ServiceCaller("redshift", Optional.of("us-east-1"));
      simPrincipal = caller;
    } else {
      RoleArn role = RoleArn.of(caller);
      c = new TrustRequest.RoleCaller(role);
      simPrincipal = "arn:aws:sts::" + role.account() + ":assumed-role/" + role.name() + "/session";
    }
    TrustRequest.Caller who = c;
    String[] answer = judge(policyJson, IamPolicy.Kind.TRUST,
        p -> p.decideTrust(new TrustRequest(who, "sts:AssumeRole", context(present))));
    emit(cls, features, "trust", policyJson, "sts:AssumeRole", ROLE, simPrincipal, present, answer[0], answer[1]);
  }

  static String name(IamEffect e) {
    return switch (e) {
      case ALLOW -> "Allowed";
      case DENY -> "ExplicitlyDenied";
      case IMPLICIT_DENY -> "ImplicitlyDenied";
    };
  }

  void emit(String cls, List<String> features, String mode, String policyJson, String action, String resource,
      String principal, Map<String, List<String>> present, String guard, String notes) {
    lines.add("{\"id\":" + (++id) + ",\"cls\":" + q(cls) + ",\"features\":" + qs(features) + ",\"mode\":" + q(mode)
        + ",\"policy\":" + policyJson + ",\"action\":" + q(action) + ",\"resource\":" + q(resource)
        + (principal == null ? "" : ",\"principal\":" + q(principal)) + ",\"context\":" + contextJson(present)
        + ",\"guard\":" + q(guard) + ",\"notes\":" + q(notes) + "}");
  }
}
