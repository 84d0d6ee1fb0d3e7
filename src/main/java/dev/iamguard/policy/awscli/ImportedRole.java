package dev.iamguard.policy.awscli;

import java.util.List;
import java.util.Optional;

/**
 * A role as {@code aws iam get-account-authorization-details} lists it: its trust policy, inline
 * policies, attached managed policies (by ARN) and permissions boundary (by ARN). Documents are
 * decoded JSON values (maps, lists, strings) in the order AWS printed their keys.
 *
 * @param arn the role ARN as AWS prints it (with its path)
 * @param name the role name
 * @param trust the trust policy document
 * @param inline the inline policies, by policy name
 * @param managed the ARNs of the attached managed policies
 * @param boundary the ARN of the permissions boundary, if any
 * @param source where it was read, for messages
 */
record ImportedRole(String arn, String name, Object trust, List<InlinePolicy> inline, List<String> managed,
    Optional<String> boundary, String source) {

  ImportedRole {
    inline = List.copyOf(inline);
    managed = List.copyOf(managed);
  }

  /** An inline policy of a role. */
  record InlinePolicy(String name, Object document) {}

  /** The account id, the fifth field of the ARN. */
  String account() {
    return arn.split(":", 6)[4];
  }
}
