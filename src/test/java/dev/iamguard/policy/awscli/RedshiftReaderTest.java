package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --redshift} / {@code --serverless} input: where account and region come from, and every missing piece named. */
class RedshiftReaderTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R";

  private final List<String> problems = new ArrayList<>();
  private final RedshiftReader reader = new RedshiftReader(problems);

  private void read(String json) {
    try {
      for (AwsJson.Document document : AwsJson.read(json, "x.json")) {
        reader.read(document, "x.json");
      }
    } catch (ImportException e) {
      throw new AssertionError(e.problems().toString(), e);
    }
  }

  @Test
  void aClustersRegionAndAccountComeFromItsNamespaceArnElseItsEndpointAndFirstRole() {
    read("""
        {"Clusters": [
          {"ClusterIdentifier": "c1", "ClusterNamespaceArn": "arn:aws:redshift:eu-west-1:210987654321:namespace:n",
           "IamRoles": [{"IamRoleArn": "%1$s", "ApplyStatus": "in-sync"}]},
          {"ClusterIdentifier": "c2", "ClusterNamespaceArn": "arn:aws:redshift",
           "Endpoint": {"Address": "c2.abc.us-east-2.redshift.amazonaws.com"},
           "IamRoles": [{"IamRoleArn": "%1$s", "ApplyStatus": "IN-SYNC"}]}]}
        """.formatted(ROLE));
    assertThat(problems).isEmpty();
    assertThat(reader.clusters()).extracting(ImportedCluster::id, ImportedCluster::account, ImportedCluster::region)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "210987654321", "eu-west-1"),
            org.assertj.core.groups.Tuple.tuple("c2", "123456789012", "us-east-2"));
  }

  @Test
  void aClusterWithoutRegionOrAccountIsNamed() {
    read("{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", \"Endpoint\": {\"Address\": \"localhost\"}}]}");
    assertThat(problems).containsExactly(
        "x.json: Clusters[0]: cannot tell the region of cluster c1: neither ClusterNamespaceArn nor Endpoint.Address"
            + " is given",
        "x.json: Clusters[0]: cannot tell the account of cluster c1: neither ClusterNamespaceArn nor an attached role"
            + " is given");
    assertThat(reader.clusters()).isEmpty();
  }

  /**
   * An endpoint longer than any host name (255 chars) names no region, whatever its shape: the region
   * pattern's repeated group recursed once a dash, and a long run of them overflowed the stack.
   */
  @Test
  void anEndpointLongerThanAHostNameNamesNoRegion() {
    String tail = ".redshift.amazonaws.com";
    for (int length : new int[] {256, 1_000, 20_000, 200_000}) {
      for (String unit : List.of("ab-", "-a", "a.", "us-east-")) {
        problems.clear();
        String host = "c1." + unit.repeat(length / unit.length()) + "-1" + tail;
        read("{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", \"Endpoint\": {\"Address\": \"" + host + "\"},"
            + " \"IamRoles\": [{\"IamRoleArn\": \"" + ROLE + "\", \"ApplyStatus\": \"in-sync\"}]}]}");
        assertThat(problems).as(unit + " x " + length).containsExactly("x.json: Clusters[0]: cannot tell the region of"
            + " cluster c1: neither ClusterNamespaceArn nor Endpoint.Address is given");
      }
    }
    problems.clear();
    String longest = "c1." + "a".repeat(255 - "c1.".length() - ".us-east-2".length() - tail.length()) + ".us-east-2" + tail;
    assertThat(longest).hasSize(255);
    read("{\"Clusters\": [{\"ClusterIdentifier\": \"c9\", \"Endpoint\": {\"Address\": \"" + longest + "\"},"
        + " \"IamRoles\": [{\"IamRoleArn\": \"" + ROLE + "\", \"ApplyStatus\": \"in-sync\"}]}]}");
    assertThat(problems).isEmpty();
    assertThat(reader.clusters()).filteredOn(c -> c.id().equals("c9")).extracting(ImportedCluster::region)
        .containsExactly("us-east-2");
  }

  @Test
  void otherOutputIsNamedAndAnEmptyClusterListIsNot() {
    read("{\"Clusters\": []}");
    assertThat(problems).isEmpty();
    read("{\"Other\": 1}");
    read("{\"RoleDetailList\": []}");
    String what = "x.json: not the output of aws redshift describe-clusters (Clusters) or aws redshift-serverless"
        + " get-namespace / get-workgroup (namespace, workgroup)";
    assertThat(problems).containsExactly(what, what + "; it is IAM output: give it with --iam");
  }

  @Test
  void serverlessRolesInEveryShapeAndWhatDoesNotFit() {
    read("""
        {"namespace": {"namespaceName": "ns", "namespaceArn": "arn:aws:redshift-serverless:us-west-2:123456789012:namespace/x",
          "iamRoles": ["%1$s", {"iamRoleArn": "%1$s2"}, {"iamRoleArn": "%1$s3", "applyStatus": "removing"},
                       "IamRole(applyStatus=adding, iamRoleArn=%1$s4)", "junk", 5]}}
        """.formatted(ROLE));
    read("{\"workgroup\": {\"workgroupName\": \"wg\", \"namespaceName\": \"ns\"}}");
    List<ImportedCluster> clusters = reader.clusters();
    assertThat(problems).containsExactly(
        "x.json: namespace.iamRoles[4]: expected IamRole(applyStatus=..., iamRoleArn=...) or a role ARN",
        "x.json: namespace.iamRoles[5]: expected a role, got a number");
    assertThat(clusters).isEmpty();
  }

  /**
   * A workgroup's database user ARNs hold its id, not its name (facts 5; probe 19b: the name was
   * used): the id comes from workgroupId, else from the end of workgroupArn.
   */
  @Test
  void aWorkgroupKeepsItsIdForItsDatabaseUsers() {
    read("""
        {"namespace": {"namespaceName": "ns", "namespaceArn": "arn:aws:redshift-serverless:us-west-2:123456789012:namespace/x",
          "iamRoles": ["%1$s"]}}
        """.formatted(ROLE));
    read("{\"workgroups\": [{\"workgroupName\": \"wg\", \"namespaceName\": \"ns\", \"workgroupArn\":"
        + " \"arn:aws:redshift-serverless:us-west-2:123456789012:workgroup/0f0e0d0c-1111-2222-3333-444455556666\"},"
        + " {\"workgroupName\": \"wg2\", \"namespaceName\": \"ns\", \"workgroupId\": \"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\"}]}");
    assertThat(reader.clusters()).extracting(ImportedCluster::workgroupId).containsExactly(
        java.util.Optional.of("0f0e0d0c-1111-2222-3333-444455556666"),
        java.util.Optional.of("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"));
    assertThat(problems).isEmpty();
  }

  @Test
  void aServerlessWorkgroupBecomesAClusterWithItsNamespacesRoles() {
    read("""
        {"namespace": {"namespaceName": "ns", "namespaceArn": "arn:aws:redshift-serverless:us-west-2:123456789012:namespace/x",
          "iamRoles": ["%1$s", {"iamRoleArn": "%1$s2"}, {"iamRoleArn": "%1$s3", "applyStatus": "removing"}],
          "defaultIamRoleArn": "%1$s3"}}
        """.formatted(ROLE));
    read("{\"workgroups\": [{\"workgroupName\": \"wg\", \"namespaceName\": \"ns\"}]}");
    assertThat(reader.clusters()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("wg");
      assertThat(c.workgroupId()).as("neither workgroupId nor workgroupArn given").isEmpty();
      assertThat(c.serverless()).isTrue();
      assertThat(c.account()).isEqualTo("123456789012");
      assertThat(c.region()).isEqualTo("us-west-2");
      assertThat(c.attached()).containsExactly(ROLE, ROLE + "2");
      assertThat(c.pending()).containsExactly(ROLE + "3");
      assertThat(c.defaultRole()).isEmpty();
      assertThat(c.notes()).containsExactly(
          ROLE + "3 is removing, not in-sync: not attached until its association completes",
          "default role " + ROLE + "3 is not an in-sync role of wg: left out, so IAM_ROLE default is denied");
    });
    assertThat(problems).isEmpty();
  }

  @Test
  void namespacesAndWorkgroupsMustFindEachOther() {
    read("{\"namespaces\": [{\"namespaceName\": \"lonely\", \"namespaceArn\": \"arn:aws:redshift-serverless:us-west-2:"
        + "123456789012:namespace/x\"}]}");
    read("{\"workgroup\": {\"workgroupName\": \"wg\", \"namespaceName\": \"elsewhere\"}}");
    read("{\"namespace\": {\"namespaceName\": \"noarn\"}}");
    read("{\"workgroup\": {\"workgroupName\": \"wg2\", \"namespaceName\": \"noarn\"}}");
    assertThat(reader.clusters()).isEmpty();
    assertThat(problems).containsExactly(
        "x.json: workgroup.namespaceName: namespace \"elsewhere\" of workgroup wg is not in the files given; add the"
            + " output of aws redshift-serverless get-namespace --namespace-name elsewhere",
        "x.json: namespace.namespaceArn: missing",
        "x.json: namespace.namespaceArn: cannot tell the account and region of namespace wg2",
        "x.json: namespaces[0]: namespace \"lonely\" has no workgroup in the files given; add the output of aws"
            + " redshift-serverless get-workgroup (or list-workgroups), whose name is the cluster id a session uses");
  }
}
