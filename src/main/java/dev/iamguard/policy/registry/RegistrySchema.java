package dev.iamguard.policy.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema (draft 2020-12) of the registry format, shipped in the jar as
 * {@code dev/iamguard/policy/registry/registry.schema.json}, so that editors complete and check a
 * registry as it is written. It names the same keys as the loader (a test holds them together);
 * the loader remains the judge: it also checks what a schema cannot (duplicates, a default role
 * that is not attached, policy files, regions that exist).
 */
public final class RegistrySchema {
  /** Where the schema is in the jar. */
  public static final String RESOURCE = "/dev/iamguard/policy/registry/registry.schema.json";

  private RegistrySchema() {}

  /** The schema's JSON text. */
  public static String text() {
    try (InputStream in = RegistrySchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the registry schema " + RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
