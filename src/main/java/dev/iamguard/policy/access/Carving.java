package dev.iamguard.policy.access;

import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.IamStatement;
import dev.iamguard.policy.registry.ManagedPolicy;
import dev.iamguard.policy.registry.RoleConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What may carve holes into a prefix a role reaches in part, as one short fingerprint: the Deny
 * statements and the conditioned Allow statements of its permission documents, and its whole
 * boundary. The access table does not say where the holes are, so two registries' entries in part
 * compare equal only when these are the same: a Deny that shrinks, or goes while another stays,
 * then shows in a diff (as a change of the entry), while an Allow widened or narrowed beside the
 * same Denies is compared by its prefixes.
 */
final class Carving {
  private Carving() {}

  /** The fingerprint of {@code role}'s permission documents and boundary (16 hex digits). */
  static String of(RoleConfig role) {
    StringBuilder text = new StringBuilder();
    role.permissionPolicies().forEach(p -> append(p, false, text.append("permissions\n")));
    for (ManagedPolicy managed : role.managedPolicies()) {
      append(managed.policy(), false, text.append("managed\n"));
    }
    role.boundary().ifPresent(b -> append(b, true, text.append("boundary\n")));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void append(IamPolicy policy, boolean whole, StringBuilder text) {
    for (IamStatement s : policy.statements()) {
      if (!whole && s.effect() != dev.iamguard.policy.iam.IamEffect.DENY && !s.hasConditions()) {
        continue; // an unconditioned Allow grants; its prefixes are the entries' own
      }
      text.append(s.effect()).append('|').append(s.notAction()).append(s.actions()).append('|')
          .append(s.notResource()).append(s.resources()).append('|').append(s.conditions()).append('\n');
    }
  }
}
