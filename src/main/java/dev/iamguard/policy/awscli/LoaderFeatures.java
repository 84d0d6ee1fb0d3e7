package dev.iamguard.policy.awscli;

import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;

/**
 * Which parts of the registry format the loader of this build reads, asked of the loader itself by
 * loading a tiny registry: managed policies by ARN ({@code managed_policies}, {@code managed},
 * {@code boundary}) and documents embedded in {@code policy_files}. Import writes the richest shape
 * the loader reads, so that what it writes always loads.
 */
final class LoaderFeatures {
  private static final String ROLE = "version: 1\nroles:\n  - arn: arn:aws:iam::123456789012:role/Probe\n";
  private static final String DOCUMENT = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";

  private LoaderFeatures() {}

  /** Whether {@code policy_files.trust} (and permissions items) may be the document itself. */
  static boolean embeddedDocuments() {
    return loads(ROLE + "    policy_files:\n      trust: " + DOCUMENT + "\n");
  }

  /** Whether {@code managed_policies}, {@code policy_files.managed} and {@code boundary} are read. */
  static boolean managedPolicies() {
    String policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
        + " \"Resource\": \"*\"}]}";
    return loads("version: 1\nmanaged_policies:\n  arn:aws:iam::aws:policy/Probe: " + policy + "\n"
        + "roles:\n  - arn: arn:aws:iam::123456789012:role/Probe\n    policy_files:\n"
        + "      managed: [arn:aws:iam::aws:policy/Probe]\n      boundary: arn:aws:iam::aws:policy/Probe\n");
  }

  private static boolean loads(String text) {
    try {
      RegistryLoader.parse(text, "probe", null);
      return true;
    } catch (RegistryException e) {
      return false;
    }
  }
}
