package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.DocumentRoleRegistry;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s3:prefix} is a key of ListBucket requests alone: absent from GetObject and PutObject
 * requests, where a condition on it is evaluated as IAM evaluates a missing key (a positive
 * operator is false, a negated one true). Probe 19b: the key was unknown there, so a Deny of
 * GetObject conditioned on a positive s3:prefix match was taken to apply (a false denial).
 */
class S3PrefixKeyTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R1";
  private static final String ALLOW = "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:ListBucket\", \"s3:PutObject\"],"
      + " Resource: [\"arn:aws:s3:::bkt\", \"arn:aws:s3:::bkt/*\"]}";

  @TempDir
  Path dir;

  private List<RuleId> copy(String deny) throws Exception {
    Guard guard = new Guard(DocumentRoleRegistry.of(ROLE, ALLOW + ", " + deny, dir));
    return guard.inspect("copy t from 's3://bkt/data/' iam_role '" + ROLE + "'", Session.of("u", "c1")).findings()
        .stream().map(Finding::rule).toList();
  }

  @Test
  void aConditionOnThePrefixOfAnObjectRequestSeesTheKeyAbsent() throws Exception {
    // positive operators on a missing key are false: these Denies never apply to GetObject
    assertThat(copy("{Effect: Deny, Action: \"s3:GetObject\", Resource: \"*\", Condition: {StringLike: {s3:prefix:"
        + " \"secret/*\"}}}")).isEmpty();
    assertThat(copy("{Effect: Deny, Action: \"s3:GetObject\", Resource: \"*\", Condition: {StringEquals: {s3:prefix:"
        + " \"data/\"}}}")).isEmpty();
    // a negated operator on a missing key is true: this one applies to every GetObject
    assertThat(copy("{Effect: Deny, Action: \"s3:GetObject\", Resource: \"*\", Condition: {StringNotLike: {s3:prefix:"
        + " \"data/*\"}}}")).containsExactly(RuleId.S3_NOT_PERMITTED);
    // on ListBucket the key is the location's: this Deny applies, that one does not
    assertThat(copy("{Effect: Deny, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {StringLike: {s3:prefix:"
        + " \"data/*\"}}}")).containsExactly(RuleId.S3_NOT_PERMITTED);
    assertThat(copy("{Effect: Deny, Action: \"s3:ListBucket\", Resource: \"*\", Condition: {StringLike: {s3:prefix:"
        + " \"secret/*\"}}}")).isEmpty();
  }
}
