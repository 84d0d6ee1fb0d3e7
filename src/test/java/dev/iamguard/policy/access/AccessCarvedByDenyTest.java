package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.DocumentRoleRegistry;
import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Allow with a Deny carving a hole under it (probe 19b): the guard refuses the Allow's prefix as
 * a whole, as it should, and the access table listed nothing, so {@code registry diff} said "0
 * gained" when the Allow widened from {@code bkt/data/} to the whole bucket beside the same Deny.
 * Such a prefix is listed in part, and a prefix reached in part covers only prefixes reached in part.
 */
class AccessCarvedByDenyTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R1";
  private static final String DENY = "{Effect: Deny, Action: \"s3:*\", Resource: \"arn:aws:s3:::bkt/data/secret/*\"}";

  @TempDir
  Path dir;

  private Registry allowing(String objects) throws Exception {
    return DocumentRoleRegistry.of(ROLE, "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:ListBucket\", \"s3:PutObject\"],"
        + " Resource: [\"arn:aws:s3:::bkt\", \"" + objects + "\"]}, " + DENY, dir);
  }

  private static List<String> rows(AccessReport report) {
    return report.entries().stream().filter(e -> e.principal().equals(Principal.OTHER) && e.auth().equals(ROLE))
        .map(e -> e.command().label() + " " + e.resource() + (e.partial() ? " in part" : "")).toList();
  }

  @Test
  void aPrefixADenyCarvesIsListedInPart() throws Exception {
    assertThat(rows(AccessReport.of(allowing("arn:aws:s3:::bkt/data/*"))))
        .containsExactly("COPY s3://bkt/data/ in part", "UNLOAD s3://bkt/data/ in part");
    assertThat(rows(AccessReport.of(allowing("arn:aws:s3:::bkt/*")))).contains("COPY s3://bkt/ in part");
    // without the Deny, the same prefix whole
    assertThat(rows(AccessReport.of(DocumentRoleRegistry.of(ROLE, "{Effect: Allow, Action: [\"s3:GetObject\","
        + " \"s3:ListBucket\"], Resource: [\"arn:aws:s3:::bkt\", \"arn:aws:s3:::bkt/data/*\"]}", dir))))
        .containsExactly("COPY s3://bkt/data/");
  }

  @Test
  void wideningBesideTheSameDenyIsAGain() throws Exception {
    AccessDiff widened = AccessDiff.between(allowing("arn:aws:s3:::bkt/data/*"), allowing("arn:aws:s3:::bkt/*"));
    assertThat(widened.gained()).extracting(AccessEntry::resource, AccessEntry::partial).contains(
        org.assertj.core.groups.Tuple.tuple("s3://bkt/", true));
    assertThat(AccessDiff.between(allowing("arn:aws:s3:::bkt/*"), allowing("arn:aws:s3:::bkt/data/*")).gained())
        .as("narrowing gains nothing").isEmpty();

    // the Deny lifted: the same prefix reached whole is a gain over the prefix reached in part
    Registry whole = DocumentRoleRegistry.of(ROLE, "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:ListBucket\","
        + " \"s3:PutObject\"], Resource: [\"arn:aws:s3:::bkt\", \"arn:aws:s3:::bkt/data/*\"]}", dir);
    assertThat(AccessDiff.between(allowing("arn:aws:s3:::bkt/data/*"), whole).gained())
        .extracting(AccessEntry::resource, AccessEntry::partial)
        .contains(org.assertj.core.groups.Tuple.tuple("s3://bkt/data/", false));
    assertThat(AccessDiff.between(whole, allowing("arn:aws:s3:::bkt/data/*")).gained()).isEmpty();
  }

  /**
   * Under a prefix in part in both registries, a Deny that shrinks, or goes while another stays,
   * widens access (probe 19c: "0 gained, 0 lost"). The entries do not say where the holes are, so
   * a change of the role's documents is a change of the entry; the same documents are no change.
   */
  @Test
  void aChangeOfTheHolesUnderAPrefixInPartIsAChange() throws Exception {
    String allow = "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:ListBucket\"], Resource: [\"arn:aws:s3:::bkt\","
        + " \"arn:aws:s3:::bkt/*\"]}";
    String secret = "{Effect: Deny, Action: \"s3:*\", Resource: \"arn:aws:s3:::bkt/secret/*\"}";
    String pii = "{Effect: Deny, Action: \"s3:*\", Resource: \"arn:aws:s3:::bkt/pii/*\"}";
    String narrowSecret = "{Effect: Deny, Action: \"s3:*\", Resource: \"arn:aws:s3:::bkt/secret/x/*\"}";
    Registry twoDenies = DocumentRoleRegistry.of(ROLE, allow + ", " + secret + ", " + pii, dir);
    Registry oneDeny = DocumentRoleRegistry.of(ROLE, allow + ", " + secret, dir);
    Registry narrower = DocumentRoleRegistry.of(ROLE, allow + ", " + narrowSecret, dir);

    assertThat(AccessDiff.between(twoDenies, oneDeny).gained()).extracting(AccessEntry::resource)
        .contains("s3://bkt/");
    assertThat(AccessDiff.between(oneDeny, narrower).gained()).extracting(AccessEntry::resource)
        .contains("s3://bkt/");
    assertThat(AccessDiff.between(oneDeny, DocumentRoleRegistry.of(ROLE, allow + ", " + secret, dir)).isEmpty())
        .as("the same documents").isTrue();
  }
}
