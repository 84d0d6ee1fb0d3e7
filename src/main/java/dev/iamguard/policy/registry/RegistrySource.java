package dev.iamguard.policy.registry;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One file a registry was loaded from (the registry itself or one of its policy files) and a
 * digest of the bytes read, so a watcher can tell whether the file still holds what was loaded,
 * whatever its modification time says ({@code cp -p}, {@code rsync -t} and tar restore old times).
 *
 * @param file the file as it was resolved
 * @param sha256 the SHA-256 of the bytes read
 */
public record RegistrySource(Path file, byte[] sha256) {
  public RegistrySource {
    sha256 = sha256.clone();
  }

  /** The source for {@code bytes} read from {@code file}. */
  public static RegistrySource of(Path file, byte[] bytes) {
    return new RegistrySource(file, digest(bytes));
  }

  /** True when {@code bytes} are what was loaded. */
  public boolean holds(byte[] bytes) {
    return MessageDigest.isEqual(sha256, digest(bytes));
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RegistrySource that && file.equals(that.file) && Arrays.equals(sha256, that.sha256);
  }

  @Override
  public int hashCode() {
    return file.hashCode() * 31 + Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return file.toString();
  }

  private static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
