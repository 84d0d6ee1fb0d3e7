/**
 * Reads YAML 1.2 (and so JSON) into SnakeYAML Engine nodes that keep their source lines, refusing
 * nesting past a fixed depth, so the registry and the IAM documents can report a problem where it
 * sits. Scalars are typed as JSON types them, with YAML 1.2's nulls ({@code ~}) and booleans
 * ({@code True}). Knows nothing of what the text means.
 */
package dev.iamguard.policy.yaml;
