package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Action texts IAM refuses to store, so that no role in AWS holds a statement with them: a wildcard
 * in the service prefix ("MalformedPolicyDocument: Action vendors (e.g., aws, ec2, etc.) must not
 * contain wildcards", AWS's answer to {@code *:Untag*} recorded in boogy/iam-policy-validator pull
 * request 172), a prefix with a character other than letters, digits, {@code -} and {@code .}
 * ("Vendor ... is not valid"), and a second colon ("Actions/Condition can contain only one colon."),
 * as getmoto/moto's {@code policy_validation.py} checks them from IAM's answers. The IAM User Guide,
 * "IAM JSON policy elements: Action"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html),
 * writes an action as a service namespace, a colon and the action name, wildcards in the name. The
 * guard read {@code *:GetObject} or {@code s?:GetObject} as a pattern and let such an Allow grant
 * {@code s3:GetObject} (found by the fyC differential run: iam-simulate calls them invalid), where
 * AWS would hold no such statement. Like a Resource ARN IAM refuses (ResourceArnShape), the document
 * is refused, naming the action. Names IAM takes keep loading.
 */
class ActionServicePrefixTest {

  private static final List<String> ACTIONS = List.of("sts:AssumeRole", "s3:GetObject", "s3:ListBucket",
      "lambda:InvokeFunction", "glue:GetDatabase", "kms:Decrypt", "dynamodb:Scan", "elasticmapreduce:ListInstances");

  /** Every wildcard spelling of each service prefix, a character IAM refuses in it, and a second colon. */
  private static Set<String> refused() {
    Set<String> out = new LinkedHashSet<>();
    for (String action : ACTIONS) {
      String service = action.substring(0, action.indexOf(':'));
      String name = action.substring(action.indexOf(':') + 1);
      out.add("*:" + name);
      for (int i = 0; i <= service.length(); i++) {
        for (String wild : List.of("*", "?")) {
          out.add(service.substring(0, i) + wild + service.substring(i) + ":" + name);
          if (i < service.length()) {
            out.add(service.substring(0, i) + wild + service.substring(i + 1) + ":" + name);
          }
        }
      }
      for (String c : List.of("_", "/", "!", "@", "#", "$", "%", "^", "&", "+", "=", "~", ",", ";", "'", "(", "[")) {
        out.add(service + c + ":" + name);
      }
      out.add(action + ":x");
      out.add(action + ":");
      out.add(service + ":" + name.substring(0, 2) + ":" + name.substring(2));
    }
    return out;
  }

  private static String problemOf(String element, String effect, String action, boolean trust) {
    String statement = "{\"Effect\": \"" + effect + "\", \"" + element + "\": \"" + action + "\""
        + (trust ? ", \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}}" : ", \"Resource\": \"*\"}");
    try {
      IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + statement + "]}", "a.json");
      return null;
    } catch (IamPolicyException e) {
      return e.getMessage();
    }
  }

  @Test
  void actionsIamRefusesAreRefused() {
    List<String> loaded = new ArrayList<>();
    int asked = 0;
    for (String action : refused()) {
      for (String element : List.of("Action", "NotAction")) {
        for (String effect : List.of("Allow", "Deny")) {
          for (boolean trust : List.of(false, true)) {
            asked++;
            String problem = problemOf(element, effect, action, trust);
            if (problem == null || !problem.contains(element + " \"" + action + "\"")
                || !problem.contains("IAM refuses it")) {
              loaded.add(element + " " + action + " (" + effect + (trust ? ", trust" : "") + "): " + problem);
            }
          }
        }
      }
    }
    assertThat(loaded).as("%d documents, %d of them loaded or refused for another reason", asked, loaded.size())
        .isEmpty();
  }

  @Test
  void actionsIamTakesStillLoad() {
    List<String> refused = new ArrayList<>();
    for (String action : List.of("*", "s3:*", "s3:Get*", "s3:*Object?", "s3:G?tObject", "S3:GETOBJECT",
        "sts:assumerole", "aws-marketplace:ViewSubscriptions", "cognito-idp:List*", "execute-api:Invoke",
        "elasticmapreduce:List*", "iam:*AccessKey*", "a.b:c")) {
      String problem = problemOf("Action", "Allow", action, false);
      if (problem != null) {
        refused.add(action + ": " + problem);
      }
    }
    assertThat(refused).isEmpty();
  }
}
