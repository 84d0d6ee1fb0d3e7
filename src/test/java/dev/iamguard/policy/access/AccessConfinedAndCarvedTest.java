package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.DocumentRoleRegistry;
import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IAM shapes probe 21a found the access table blind to (F4, F6): a Deny carving a wildcard
 * Allow was listed as the whole wildcard, and an Allow of {@code *} confined by a Deny's
 * NotResource, by a boundary or by an {@code s3:prefix} condition listed nothing, so in both
 * directions {@code registry diff} reported "0 gained" for a change that turns a denied COPY into
 * an allowed one. {@link AccessAgreesWithGuardProperties} holds the table to the guard over
 * generated documents; these are the probe's cases, named.
 */
class AccessConfinedAndCarvedTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R1";
  private static final String NOTHING_USABLE = "{Effect: Allow, Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::elsewhere/x\"}";

  @TempDir
  Path dir;

  private Registry role(String statements) throws Exception {
    return DocumentRoleRegistry.of(ROLE, statements, dir);
  }

  private static List<String> rows(AccessReport report) {
    return report.entries().stream().filter(e -> e.principal().equals(Principal.OTHER) && e.auth().equals(ROLE))
        .map(e -> e.command().label() + " " + e.resource() + (e.partial() ? " in part" : "")).toList();
  }

  private static List<String> gained(Registry before, Registry after) {
    return AccessDiff.between(before, after).gained().stream().filter(e -> e.principal().equals(Principal.OTHER))
        .map(e -> e.command().label() + " " + e.resource() + (e.partial() ? " in part" : "")).toList();
  }

  @Test
  void aDenyCarvingAWildcardAllowMakesItInPartAndLiftingItIsAGain() throws Exception {
    String allow = "{Effect: Allow, Action: \"s3:*\", Resource: \"*\"}";
    String deny = "{Effect: Deny, Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::acmedata/secret/*\"}";
    Registry carved = role(allow + ", " + deny);
    Registry whole = role(allow);
    assertThat(rows(AccessReport.of(carved))).contains("COPY s3://*/ in part", "UNLOAD s3://*/ in part");
    assertThat(rows(AccessReport.of(whole))).containsExactly("COPY s3://*/", "UNLOAD s3://*/");
    assertThat(gained(carved, whole)).contains("COPY s3://*/", "UNLOAD s3://*/");
    assertThat(gained(whole, carved)).isEmpty();

    // the same under a bucket wildcard
    String acme = "{Effect: Allow, Action: \"s3:*\", Resource: [\"arn:aws:s3:::acme*\", \"arn:aws:s3:::acme*/*\"]}";
    assertThat(gained(role(acme + ", " + deny), role(acme))).contains("COPY s3://acme*/");
  }

  /**
   * An UNLOAD reads too (GET, LIST, PUT): an Allow of PutObject under {@code acmedata/*&#47;in/} beside an
   * Allow of everything but {@code acmedata/data*} reaches {@code acmedata/data.../in/} in part only, and
   * lifting the NotResource is a gain (probe 22d F3: listed whole, and the diff saw nothing).
   */
  @Test
  void aWildcardKeyMeetsTheLiteralStartOfANotResource() throws Exception {
    String put = "{Effect: Allow, Action: \"s3:PutObject\", Resource: [\"arn:aws:s3:::acmedata/*/in/*\"]}";
    Registry carved = role(put + ", {Effect: Allow, NotAction: \"iam:*\", NotResource: [\"arn:aws:s3:::acmedata/data*\"]}");
    Registry open = role(put + ", {Effect: Allow, NotAction: \"iam:*\", NotResource: [\"arn:aws:s3:::elsewhere/*\"]}");
    assertThat(rows(AccessReport.of(carved))).contains("UNLOAD s3://acmedata/*/in/ in part");
    assertThat(gained(carved, open)).contains("UNLOAD s3://acmedata/*/in/");
  }

  @Test
  void anAllowWithNotResourceIsInPart() throws Exception {
    Registry registry = role("{Effect: Allow, Action: [\"s3:GetObject\", \"s3:ListBucket\"],"
        + " NotResource: \"arn:aws:s3:::secret/*\"}");
    assertThat(rows(AccessReport.of(registry))).containsExactly("COPY s3://*/ in part");
  }

  @Test
  void aLambdaWildcardADenyCarvesIsInPart() throws Exception {
    String allow = "{Effect: Allow, Action: \"lambda:InvokeFunction\", Resource: "
        + "\"arn:aws:lambda:us-west-2:123456789012:function:*\"}";
    String deny = "{Effect: Deny, Action: \"lambda:InvokeFunction\", Resource: "
        + "\"arn:aws:lambda:us-west-2:123456789012:function:secretFn\"}";
    assertThat(rows(AccessReport.of(role(allow + ", " + deny))))
        .contains("EXTERNAL FUNCTION arn:aws:lambda:us-west-2:123456789012:function:* in part");
    assertThat(gained(role(allow + ", " + deny), role(allow)))
        .contains("EXTERNAL FUNCTION arn:aws:lambda:us-west-2:123456789012:function:*");
  }

  @Test
  void aDenyNotResourceGuardrailConfinesAnAllowOfEverythingToItsBuckets() throws Exception {
    Registry guarded = role("{Effect: Allow, Action: \"s3:*\", Resource: \"*\"}, {Effect: Deny, Action: \"s3:*\","
        + " NotResource: [\"arn:aws:s3:::acmedata\", \"arn:aws:s3:::acmedata/*\"]}");
    assertThat(rows(AccessReport.of(guarded))).containsExactly("COPY s3://acmedata/", "UNLOAD s3://acmedata/");
    assertThat(gained(role(NOTHING_USABLE), guarded)).containsExactly("COPY s3://acmedata/", "UNLOAD s3://acmedata/");
  }

  @Test
  void aListBucketConfinedByAPrefixConditionListsThePrefix() throws Exception {
    Registry confined = role("{Effect: Allow, Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::acmedata/*\"},"
        + " {Effect: Allow, Action: \"s3:ListBucket\", Resource: \"arn:aws:s3:::acmedata\","
        + " Condition: {StringLike: {\"s3:prefix\": \"pub/*\"}}}");
    assertThat(rows(AccessReport.of(confined))).containsExactly("COPY s3://acmedata/pub/");
    assertThat(gained(role(NOTHING_USABLE), confined)).containsExactly("COPY s3://acmedata/pub/");
  }

  @Test
  void aBoundaryConfiningAnAllowOfEverythingListsWhatItLetsThrough() throws Exception {
    Registry bounded = DocumentRoleRegistry.of(ROLE, "{Effect: Allow, Action: \"s3:*\", Resource: \"*\"}",
        "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:ListBucket\"],"
        + " Resource: [\"arn:aws:s3:::acmedata\", \"arn:aws:s3:::acmedata/ok/*\"]}", dir);
    assertThat(rows(AccessReport.of(bounded))).containsExactly("COPY s3://acmedata/ok/");
    assertThat(gained(role(NOTHING_USABLE), bounded)).containsExactly("COPY s3://acmedata/ok/");
  }
}
