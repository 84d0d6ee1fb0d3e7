package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every place of the Redshift output that holds a role ARN, given a value that is not one: the import
 * fails (an {@link ImportException}, never another exception: the CLI printed an
 * ArrayIndexOutOfBoundsException's stack trace for a cluster without ClusterNamespaceArn), with a
 * problem naming the file and the field, and the value is never said, in a problem, a note or the
 * registry's comments. A role being added or removed and a default role that is not attached were
 * never checked: their text went as written into a note, printed on standard error and into the
 * registry's comments, an access key included.
 *
 * <p>A secret where the AWS CLI prints a status ({@code ApplyStatus}) is masked in the notes and the
 * registry's comments too.
 */
class RedshiftRoleArnsTest {
  private static final String NAMESPACE = "\"ClusterNamespaceArn\": \"arn:aws:redshift:us-west-2:123456789012:namespace:n\"";
  private static final String ENDPOINT = "\"Endpoint\": {\"Address\": \"c1.abc.us-west-2.redshift.amazonaws.com\"}";
  private static final String ROLE = "arn:aws:iam::123456789012:role/R";
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  /** Values that are not role ARNs; the secrets among them must never be said. */
  private static final List<String> NOT_ROLE_ARNS = List.of(KEY_ID, "aws_secret_access_key=" + SECRET,
      "arn:aws", "role-R", "arn:aws:iam::123456789012:user/" + KEY_ID, "arn:aws:iam::12345678901:role/R " + SECRET);

  /** A place in the Redshift output, as {@code %s} for the value; the field its problem must name. */
  private record Place(String field, String json) {}

  private static final List<Place> PLACES = List.of(
      new Place("Clusters[0].IamRoles[0].IamRoleArn", "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", " + NAMESPACE
          + ", \"IamRoles\": [{\"IamRoleArn\": \"%s\", \"ApplyStatus\": \"in-sync\"}]}]}"),
      new Place("Clusters[0].IamRoles[0].IamRoleArn", "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", " + ENDPOINT
          + ", \"IamRoles\": [{\"IamRoleArn\": \"%s\", \"ApplyStatus\": \"in-sync\"}]}]}"),
      new Place("Clusters[0].IamRoles[1].IamRoleArn", "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", " + NAMESPACE
          + ", \"IamRoles\": [{\"IamRoleArn\": \"" + ROLE + "\", \"ApplyStatus\": \"in-sync\"},"
          + " {\"IamRoleArn\": \"%s\", \"ApplyStatus\": \"removing\"}]}]}"),
      new Place("Clusters[0].IamRoles[0].IamRoleArn", "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", " + NAMESPACE
          + ", \"IamRoles\": [{\"IamRoleArn\": \"%s\", \"ApplyStatus\": \"adding\"}]}]}"),
      new Place("Clusters[0].DefaultIamRoleArn", "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", " + NAMESPACE
          + ", \"IamRoles\": [{\"IamRoleArn\": \"" + ROLE + "\", \"ApplyStatus\": \"in-sync\"}],"
          + " \"DefaultIamRoleArn\": \"%s\"}]}"),
      new Place("namespace.iamRoles[0]", serverless("\"iamRoles\": [\"%s\"]")),
      new Place("namespace.iamRoles[0]", serverless("\"iamRoles\": [\"IamRole(applyStatus=removing, iamRoleArn=%s)\"]")),
      new Place("namespace.iamRoles[0]", serverless("\"iamRoles\": [{\"applyStatus\": \"in-sync\", \"iamRoleArn\": \"%s\"}]")),
      new Place("namespace.defaultIamRoleArn", serverless("\"iamRoles\": [\"" + ROLE + "\"], \"defaultIamRoleArn\": \"%s\"")));

  private static String serverless(String roles) {
    return "{\"namespace\": {\"namespaceName\": \"ns\", \"namespaceArn\":"
        + " \"arn:aws:redshift-serverless:us-west-2:123456789012:namespace/n1\", " + roles + "},"
        + " \"workgroup\": {\"workgroupName\": \"wg1\", \"namespaceName\": \"ns\", \"workgroupId\": \"w1\"}}";
  }

  @Test
  void aValueThatIsNotARoleArnIsAProblemNamingItsFieldAndNeverSaid() {
    List<String> wrong = new ArrayList<>();
    for (Place place : PLACES) {
      for (String value : NOT_ROLE_ARNS) {
        String where = place.field() + " = " + value;
        Outcome outcome = importing(place.json().formatted(value));
        if (outcome.thrown() != null) {
          wrong.add(where + ": threw " + outcome.thrown());
        } else if (outcome.problems() == null) {
          wrong.add(where + ": imported, notes " + outcome.notes());
        } else {
          if (outcome.problems().stream().noneMatch(p -> p.startsWith("redshift.json: " + place.field() + ": "))) {
            wrong.add(where + ": no problem names the file and field: " + outcome.problems());
          }
          if (String.join("\n", outcome.problems()).contains(KEY_ID) || String.join("\n", outcome.problems()).contains(SECRET)) {
            wrong.add(where + ": a problem says the secret: " + outcome.problems());
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aSecretWhereTheStatusBelongsIsMaskedInNotesAndComments() {
    for (String status : List.of(KEY_ID, SECRET, "aws_secret_access_key=" + SECRET)) {
      for (String json : List.of(
          "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", " + NAMESPACE + ", \"IamRoles\": [{\"IamRoleArn\": \"" + ROLE
              + "\", \"ApplyStatus\": \"in-sync\"}, {\"IamRoleArn\": \"" + ROLE + "2\", \"ApplyStatus\": \"%s\"}]}]}",
          serverless("\"iamRoles\": [\"" + ROLE + "\", \"IamRole(applyStatus=%s, iamRoleArn=" + ROLE + "2)\"]"))) {
        Outcome outcome = importing(json.formatted(status));
        assertThat(outcome.problems()).as(status).isNull();
        assertThat(outcome.notes()).as(status).anySatisfy(n -> assertThat(n).contains(ROLE + "2 is "));
        assertThat(String.join("\n", outcome.notes()) + outcome.registry()).as(status)
            .doesNotContain(KEY_ID).doesNotContain(SECRET);
      }
    }
  }

  /** What an import of the Redshift output {@code json} gave: problems, or notes and registry, or an exception. */
  private record Outcome(List<String> problems, List<String> notes, String registry, Throwable thrown) {}

  private static Outcome importing(String json) {
    RegistryImport.Request request = new RegistryImport.Request(
        List.of(ImportFixtures.text("iam.json", "{\"RoleDetailList\": [], \"Policies\": []}")),
        json.contains("\"Clusters\"") ? List.of(ImportFixtures.text("redshift.json", json)) : List.of(),
        json.contains("\"Clusters\"") ? List.of() : List.of(ImportFixtures.text("redshift.json", json)),
        Optional.empty(), Optional.empty(), false, RegistryImport.Layout.EMBEDDED);
    try {
      RegistryImport.Result result = RegistryImport.run(request);
      return new Outcome(null, result.notes(), result.registry(), null);
    } catch (ImportException e) {
      return new Outcome(e.problems(), List.of(), "", null);
    } catch (RuntimeException e) {
      return new Outcome(null, List.of(), "", e);
    }
  }
}
