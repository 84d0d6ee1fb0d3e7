package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code registry validate} on registries written for one check each: every document of a role
 * (trust, inline, managed, boundary) is searched for conditions the guard judges conservatively;
 * keys a cluster states count only when every cluster states them; a role the registry gives
 * nothing is named; the issues come sorted by line.
 */
class RegistryValidatorTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/R";
  private static final String TRUST = "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service:"
      + " redshift.amazonaws.com}, Action: \"sts:AssumeRole\"}]}";
  private static final String READ = "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: [\"s3:GetObject\","
      + " \"s3:ListBucket\"], Resource: [\"arn:aws:s3:::bkt\", \"arn:aws:s3:::bkt/data/*\"]}]}";
  private static final String VPCE_DENY = "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: [\"s3:GetObject\","
      + " \"s3:ListBucket\"], Resource: [\"arn:aws:s3:::bkt\", \"arn:aws:s3:::bkt/data/*\"]}, {Sid: Vpce, Effect: Deny, Action: \"s3:*\", Resource: \"*\", Condition:"
      + " {StringNotEquals: {aws:SourceVpce: vpce-1a2b}}}]}";

  private static Registry parse(String text) {
    try {
      return RegistryLoader.parse(text, "registry.yaml", null);
    } catch (RegistryException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static List<RegistryIssue> validate(String text) {
    return issues(parse(text));
  }

  /** The issues of {@code registry}, which the report kept for validation (less than the full table) finds alike. */
  static List<RegistryIssue> issues(Registry registry) {
    List<RegistryIssue> issues = RegistryValidator.validate(registry, AccessReport.of(registry));
    assertThat(RegistryValidator.validate(registry, AccessReport.forValidation(registry))).isEqualTo(issues);
    return issues;
  }

  private static String registry(String clusterContext, String otherClusterContext, String role) {
    return """
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%1$s]
        %2$s
          - id: c2
            account: "123456789012"
            region: us-east-1
            attached_roles: [%1$s]
        %3$s
        managed_policies:
          arn:aws:iam::123456789012:policy/Vpce: %4$s
          arn:aws:iam::123456789012:policy/Read: %5$s
        roles:
          - arn: %1$s
        %6$s
        """.formatted(ROLE, clusterContext.indent(4).stripTrailing(), otherClusterContext.indent(4).stripTrailing(),
        VPCE_DENY, READ, role.indent(4).stripTrailing());
  }

  @Test
  void everyDocumentOfARoleIsSearched() {
    String org = "{Version: \"2012-10-17\", Statement: [{Sid: Org, Effect: Allow, Principal: {Service:"
        + " redshift.amazonaws.com}, Action: \"sts:AssumeRole\", Condition: {StringEquals: {aws:PrincipalOrgID: o-1}}}]}";

    List<RegistryIssue> orgIssues = validate(registry("", "", "policy_files: {trust: " + org + ", permissions: ["
        + READ + "]}"));
    // no one can use the role until the organization is stated; both issues are on the role's line
    assertThat(orgIssues).extracting(RegistryIssue::code).containsExactly("CONSERVATIVE_CONDITION", "ROLE_UNUSABLE");
    assertThat(orgIssues).filteredOn(i -> i.code().equals("CONSERVATIVE_CONDITION"))
        .singleElement().satisfies(issue -> {
          assertThat(issue.code()).isEqualTo("CONSERVATIVE_CONDITION");
          assertThat(issue.path()).isEqualTo("roles[0].policy_files.trust");
          assertThat(issue.message()).contains("statement \"Org\"").contains("StringEquals aws:PrincipalOrgID")
              .contains("so this Allow grants nothing");
        });
    assertThat(validate(registry("", "", "policy_files: {trust: " + TRUST + ", permissions: [" + READ + "],"
        + " managed: [arn:aws:iam::123456789012:policy/Vpce]}")))
        .extracting(RegistryIssue::path).containsExactly("roles[0].policy_files.managed[0]");
    assertThat(validate(registry("", "", "policy_files: {trust: " + TRUST + ", permissions: [" + READ + "],"
        + " boundary: arn:aws:iam::123456789012:policy/Vpce}")))
        .singleElement().satisfies(issue -> {
          assertThat(issue.path()).isEqualTo("roles[0].policy_files.boundary");
          assertThat(issue.message()).contains("statement \"Vpce\"").contains("so this Deny is taken to apply");
        });
    assertThat(validate(registry("", "", "policy_files: {trust: " + TRUST + ", permissions: [" + READ + "]}")))
        .isEmpty();
  }

  @Test
  void aKeyStatedOnOneClusterOnlyDoesNotCountForTheRole() {
    String role = "policy_files: {trust: " + TRUST + ", permissions: [" + VPCE_DENY + "]}";
    String stated = "request_context: {aws:SourceVpce: vpce-1a2b}";

    assertThat(validate(registry(stated, stated, role))).isEmpty();
    assertThat(validate(registry(stated, "", role))).extracting(RegistryIssue::code)
        .containsExactly("CONSERVATIVE_CONDITION");
    assertThat(validate(registry("", stated, role))).extracting(RegistryIssue::code)
        .containsExactly("CONSERVATIVE_CONDITION");
    assertThat(validate(registry("", "", role + "\nrequest_context: {aws:SourceVpce: vpce-1a2b}"))).isEmpty();
  }

  @Test
  void aRoleTheRegistryGivesNothingIsNamed() {
    String text = registry("", "", "trust: {regions: [us-west-2]}");

    assertThat(validate(text)).extracting(RegistryIssue::code).contains("ROLE_GRANTS_NOTHING");
    assertThat(validate(text)).filteredOn(i -> i.code().equals("ROLE_GRANTS_NOTHING")).singleElement()
        .satisfies(issue -> {
          assertThat(issue.path()).isEqualTo("roles[0]");
          assertThat(issue.message()).isEqualTo(ROLE + " has neither allow nor permission policies, so it may do"
              + " nothing (not even assume another role)");
        });
    assertThat(validate(registry("", "", "trust: {regions: [us-west-2]}\nallow: {s3_read: [\"s3://bkt/data/\"]}")))
        .extracting(RegistryIssue::code).doesNotContain("ROLE_GRANTS_NOTHING");
  }

  @Test
  void issuesAreSortedByLineThenByCodeAndMessage() {
    RegistryIssue whole = new RegistryIssue("B", 0, "", "x");
    RegistryIssue early = new RegistryIssue("Z", 3, "roles[0]", "a");
    RegistryIssue lateA = new RegistryIssue("A", 9, "roles[1]", "z");
    RegistryIssue lateB1 = new RegistryIssue("B", 9, "roles[1]", "a");
    RegistryIssue lateB2 = new RegistryIssue("B", 9, "roles[1]", "b");
    List<RegistryIssue> issues = new ArrayList<>(List.of(lateB2, lateA, early, lateB1, whole));

    issues.sort(null);

    assertThat(issues).containsExactly(whole, early, lateA, lateB1, lateB2);
    assertThat(early.compareTo(early)).isZero();
    assertThat(lateB2.compareTo(lateB1)).isPositive();
    assertThat(lateB1.compareTo(lateB2)).isNegative();
  }

  @Test
  void theValidatorReportsInLineOrder() {
    // an unknown attached role (the cluster's line) and a role that grants nothing (a later line)
    String text = """
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%s, arn:aws:iam::123456789012:role/Ghost]
        roles:
          - arn: %s
            trust: {regions: [us-west-2]}
        """.formatted(ROLE, ROLE);

    List<RegistryIssue> issues = validate(text);

    assertThat(issues).extracting(RegistryIssue::code).contains("ATTACHED_ROLE_UNKNOWN", "ROLE_GRANTS_NOTHING");
    assertThat(issues).extracting(RegistryIssue::line).isSorted();
    assertThat(issues.get(0).code()).isEqualTo("ATTACHED_ROLE_UNKNOWN");
  }
}
