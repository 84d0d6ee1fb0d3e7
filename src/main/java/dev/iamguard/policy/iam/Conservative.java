package dev.iamguard.policy.iam;

/**
 * Where a decision was made conservatively: a statement part on a condition key or policy
 * variable the guard cannot know for the request. Such a part never lets an Allow grant and
 * always lets a Deny apply.
 *
 * @param source the document's source name, e.g. {@code iam/RoleA.json}
 * @param statement the statement's label: {@code statement "Sid"} or {@code statement 2}
 * @param line the statement's line in its source
 * @param statementEffect the statement's effect, {@link IamEffect#ALLOW} or {@link IamEffect#DENY}
 * @param operator the condition operator, or {@code Resource} / {@code Principal} for those elements
 *     (for {@code Principal}, the key is a session of the calling role or the role under another path)
 * @param key the condition key (or the variable's key) the guard cannot know; for {@code Resource},
 *     the variable's key or a pattern ({@code arn:...}) whose wildcard may or may not span a colon
 * @param unresolved the key is a policy variable's that the request surely does not carry (or
 *     carries with several values), without a default: IAM "might" then find the statement invalid
 * @param severalValues the request carries the key with several values and the operator has no
 *     {@code ForAllValues:} or {@code ForAnyValue:}, which IAM requires of a multivalued key without
 *     saying what a plain operator does then
 */
public record Conservative(String source, String statement, int line, IamEffect statementEffect,
    String operator, String key, boolean unresolved, boolean severalValues) {

  /**
   * For example {@code iam/x.json statement "DenyVpce" (line 4): StringNotEqualsIfExists on
   * aws:SourceVpce, which the guard cannot know: this Deny is taken to apply}.
   */
  public String describe() {
    boolean resource = operator.equals("Resource") || operator.equals("NotResource");
    String what = resource && key.startsWith("arn:")
        ? operator + " \"" + key + "\", whose wildcard may or may not match the ':' the resource holds there"
        : resource ? operator + " with the policy variable ${" + key + "}"
        : (operator.equals("Principal") || operator.equals("NotPrincipal")) && key.contains(":role/")
            ? operator + " naming " + key + ", the calling role under another path, which IAM may or may not"
                + " tell apart from it"
        : operator.equals("Principal") || operator.equals("NotPrincipal")
            ? operator + " naming a session (" + key + ") of the calling role, whose session name Redshift chooses"
            : operator + " on " + key;
    String which = operator.startsWith("Principal") || operator.startsWith("NotPrincipal")
        || resource && key.startsWith("arn:") ? ""
        : severalValues ? ", which the request carries with several values, without ForAllValues: or"
            + " ForAnyValue: (IAM requires one for a multivalued key and does not say what a plain operator"
            + " does then)"
        : unresolved ? ", which the request does not carry (one value) and IAM then may or may not"
            + " read as an invalid statement"
        : ", which the guard cannot know";
    return source + " " + statement + " (line " + line + "): " + what + which + ": this "
        + (statementEffect == IamEffect.DENY ? "Deny is taken to apply" : "Allow is not counted");
  }
}
