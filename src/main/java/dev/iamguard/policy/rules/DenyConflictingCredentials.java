package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.AuthClause;
import java.util.List;

/**
 * {@link RuleId#AUTH_CONFLICT}: IAM_ROLE, CREDENTIALS and access keys are mutually exclusive; a
 * clause may not be given twice; a session token needs both keys, and a key id needs its secret.
 */
final class DenyConflictingCredentials implements Rule {
  private static final String REMEDY = "supply credentials one way only: IAM_ROLE '<role ARN>' "
      + "(preferred), or ACCESS_KEY_ID, SECRET_ACCESS_KEY and SESSION_TOKEN together";

  @Override
  public void check(Inspection in) {
    AuthClause auth = in.command.auth();
    List<String> keywords = auth.keywords();
    List<String> keys = auth.credentialKeys();
    // the lists hold a handful of entries: scanning them beats building sets for every statement
    String twice = repeated(keywords);
    if (twice != null) {
      in.add(RuleId.AUTH_CONFLICT, twice, twice + " is given twice", REMEDY);
      return;
    }
    if (repeated(keys) != null) {
      in.add(RuleId.AUTH_CONFLICT, "CREDENTIALS", "a CREDENTIALS key is given twice", REMEDY);
      return;
    }
    int forms = (keywords.contains("IAM_ROLE") ? 1 : 0) + (keywords.contains("CREDENTIALS") ? 1 : 0)
        + (keywords.contains("ACCESS_KEY_ID") || keywords.contains("SECRET_ACCESS_KEY")
            || keywords.contains("SESSION_TOKEN") ? 1 : 0);
    if (forms > 1) {
      in.add(RuleId.AUTH_CONFLICT, String.join(" + ", keywords),
          "the statement mixes " + String.join(", ", keywords) + "; the forms are mutually exclusive", REMEDY);
      return;
    }
    if (keys.contains("aws_iam_role") && (keys.contains("aws_access_key_id") || keys.contains("aws_secret_access_key") || keys.contains("token"))) {
      in.add(RuleId.AUTH_CONFLICT, "CREDENTIALS", "CREDENTIALS mixes aws_iam_role with access keys", REMEDY);
      return;
    }
    boolean keyId = keywords.contains("ACCESS_KEY_ID") || keys.contains("aws_access_key_id");
    boolean secret = keywords.contains("SECRET_ACCESS_KEY") || keys.contains("aws_secret_access_key");
    if (auth.sessionToken() && !(keyId && secret)) {
      in.add(RuleId.AUTH_CONFLICT, "SESSION_TOKEN", "a session token is given without both access keys", REMEDY);
    } else if (keyId != secret) {
      in.add(RuleId.AUTH_CONFLICT, keyId ? "ACCESS_KEY_ID" : "SECRET_ACCESS_KEY",
          (keyId ? "an access key id is given without its secret access key"
              : "a secret access key is given without its access key id"), REMEDY);
    }
  }

  /** The first entry that appears twice, or null. */
  private static String repeated(List<String> entries) {
    for (int i = 1; i < entries.size(); i++) {
      if (entries.subList(0, i).contains(entries.get(i))) {
        return entries.get(i);
      }
    }
    return null;
  }
}
