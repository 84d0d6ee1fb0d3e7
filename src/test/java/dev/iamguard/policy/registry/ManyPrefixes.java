package dev.iamguard.policy.registry;

import java.util.ArrayList;
import java.util.List;

/** Test input at scale: the folders a role's scripts touch when they load one folder a day. */
public final class ManyPrefixes {
  private ManyPrefixes() {}

  /** {@code s3://lake/events/d0/} to {@code s3://lake/events/d<n-1>/}. */
  public static List<S3Prefix> siblingFolders(int n) {
    List<S3Prefix> folders = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      folders.add(new S3Prefix("lake", "events/d" + i + "/"));
    }
    return folders;
  }
}
