package dev.iamguard.policy.access;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Registries for the access report's properties: clusters {@code c1} (us-east-1) and {@code c2}
 * (us-west-2), each attaching two roles, {@code Short} (short-form S3 prefixes of every shape,
 * trusting users u1 and u2 of both clusters) and {@code Documents} (an IAM permission policy: an
 * Allow of S3 somewhere, then statements of wildcard buckets and keys, Denies, NotResources and
 * prefix conditions), and optionally a grant of
 * both to u1, u3 and the group etl.
 */
final class GeneratedRegistries {
  static final String ACCOUNT = "123456789012";
  static final String SHORT = "arn:aws:iam::" + ACCOUNT + ":role/Short";
  static final String DOCUMENTS = "arn:aws:iam::" + ACCOUNT + ":role/Documents";

  /** What a generated registry is made of. */
  record Parts(List<String> clusters, List<String> reads, List<String> writes, List<String> statements,
      boolean grants) {
    String yaml() {
      return GeneratedRegistries.yaml(clusters, reads, writes, statements, grants);
    }
  }

  private GeneratedRegistries() {}

  static Arbitrary<Parts> parts() {
    Arbitrary<List<String>> clusters = Arbitraries.of(List.of("c1"), List.of("c1"), List.of("c2"), List.of("c1", "c2"),
        List.of("c2", "c1"));
    return Combinators.combine(clusters, shortForms(), shortForms(), statements(), Arbitraries.of(true, false))
        .as(Parts::new);
  }

  static Arbitrary<List<String>> shortForms() {
    return Arbitraries.of("s3://acmedata", "s3://acmedata/", "s3://acmedata/pub", "s3://acmedata/pub/",
        "s3://acmedata/pub/x/", "s3://acmedata/*", "s3://acmedata/p*", "s3://acmelogs/", "s3://acmelogs/data/",
        "s3://other/secret/").list().uniqueElements().ofMaxSize(4);
  }

  static Arbitrary<List<String>> statements() {
    Arbitrary<String> resource = Arbitraries.of("*", "arn:aws:s3:::*", "arn:aws:s3:::*/*", "arn:aws:s3:::acme*",
        "arn:aws:s3:::acme*/*", "arn:aws:s3:::acme*/pub/*", "arn:aws:s3:::acmedata", "arn:aws:s3:::acmedata/*",
        "arn:aws:s3:::acmedata/pub/*", "arn:aws:s3:::acmedata/p?b/*", "arn:aws:s3:::acme?ata/*",
        "arn:aws:s3:::*/pub/*", "arn:aws:s3:::other/secret/*", "arn:aws:s3:::acmelogs/*");
    Arbitrary<String> action = Arbitraries.of("\"s3:*\"", "\"s3:GetObject\"", "\"s3:PutObject\"", "\"s3:ListBucket\"",
        "[\"s3:GetObject\", \"s3:ListBucket\"]", "[\"s3:PutObject\", \"s3:ListBucket\"]");
    Arbitrary<String> condition = Arbitraries.of("", "", "", ", Condition: {StringLike: {\"s3:prefix\": [\"pub/*\"]}}",
        ", Condition: {StringNotLike: {\"s3:prefix\": [\"secret/*\"]}}");
    // Denies often, so that the first Allow is carved: entries reached in part
    Arbitrary<String> statement = Combinators.combine(Arbitraries.of("Allow", "Deny", "Deny"), action,
        Arbitraries.of(false, false, false, true), resource.list().ofMinSize(1).ofMaxSize(2), condition)
        .as((e, a, not, resources, c) -> "{Effect: " + e + ", Action: " + a + ", " + (not ? "NotResource" : "Resource")
            + ": [" + String.join(", ", resources.stream().map(r -> "\"" + r + "\"").toList()) + "]" + c + "}");
    // an Allow that reads and writes somewhere first, so that the others often carve what it grants
    Arbitrary<String> first = Arbitraries.of("\"*\"", "\"arn:aws:s3:::*\"", "[\"arn:aws:s3:::acme*\", \"arn:aws:s3:::acme*/*\"]",
        "[\"arn:aws:s3:::acmedata\", \"arn:aws:s3:::acmedata/*\"]").map(resources -> "{Effect: Allow, Action: "
            + "[\"s3:GetObject\", \"s3:PutObject\", \"s3:ListBucket\"], Resource: " + resources + "}");
    return Combinators.combine(first, statement.list().ofMaxSize(3)).as((grant, more) -> {
      List<String> all = new ArrayList<>(List.of(grant));
      all.addAll(more);
      return all;
    });
  }

  static String yaml(List<String> clusters, List<String> reads, List<String> writes, List<String> statements,
      boolean grants) {
    List<String> out = new ArrayList<>(List.of("version: 1", "clusters:"));
    for (String cluster : clusters) {
      out.addAll(List.of("  - id: " + cluster, "    account: \"" + ACCOUNT + "\"", "    region: " + region(cluster),
          "    attached_roles: [" + SHORT + ", " + DOCUMENTS + "]"));
    }
    List<String> users = new ArrayList<>();
    for (String cluster : List.of("c1", "c2")) {
      for (String user : List.of("u1", "u2")) {
        users.add("\"arn:aws:redshift:" + region(cluster) + ":" + ACCOUNT + ":dbuser:" + cluster + "/" + user + "\"");
      }
    }
    out.addAll(List.of("roles:", "  - arn: " + SHORT, "    trust:", "      regions: [us-east-1, us-west-2]",
        "      db_users: [" + String.join(", ", users) + "]",
        "    allow:", "      s3_read: [" + quoted(reads) + "]", "      s3_write: [" + quoted(writes) + "]",
        "  - arn: " + DOCUMENTS, "    policy_files:",
        "      trust: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com},"
            + " Action: \"sts:AssumeRole\"}]}",
        "      permissions: [{Version: \"2012-10-17\", Statement: [" + String.join(", ", statements) + "]}]"));
    if (grants) {
      out.addAll(List.of("grants:", "  - on: [" + SHORT + ", " + DOCUMENTS + "]", "    to: [u1, u3, \"group:etl\"]",
          "    for: [COPY, UNLOAD]"));
    }
    return String.join("\n", out) + "\n";
  }

  private static String region(String cluster) {
    return cluster.equals("c1") ? "us-east-1" : "us-west-2";
  }

  private static String quoted(List<String> locations) {
    return String.join(", ", locations.stream().map(l -> "\"" + l + "\"").toList());
  }
}
