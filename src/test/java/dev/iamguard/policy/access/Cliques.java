package dev.iamguard.policy.access;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Test registries whose roles may all assume one another: the access report's chain search at its worst. */
public final class Cliques {
  private Cliques() {}

  /**
   * A short-form registry of {@code k} roles C0..C(k-1) in account 123456789012, the first
   * {@code attached} attached to {@code my-cluster}, each trusting and allowed to assume every
   * other and reading {@code s3://bucket<i>/}.
   */
  public static String yaml(int k, int attached) {
    StringBuilder yaml = new StringBuilder("version: 1\nclusters:\n  - id: my-cluster\n    account: \"123456789012\"\n"
        + "    region: us-west-2\n    attached_roles: [" + IntStream.range(0, attached).mapToObj(Cliques::arn)
        .collect(Collectors.joining(", ")) + "]\nroles:\n");
    for (int i = 0; i < k; i++) {
      int self = i;
      String others = IntStream.range(0, k).filter(j -> j != self).mapToObj(Cliques::arn)
          .collect(Collectors.joining(", "));
      yaml.append("  - arn: ").append(arn(i)).append("\n    trust:\n      regions: [us-west-2]\n      principals: [")
          .append(others).append("]\n    allow:\n      s3_read: [\"s3://bucket").append(i).append("/\"]\n      assume: [")
          .append(others).append("]\n");
    }
    return yaml.toString();
  }

  /** The ARN of role C{@code i}. */
  public static String arn(int i) {
    return "arn:aws:iam::123456789012:role/C" + i;
  }
}
