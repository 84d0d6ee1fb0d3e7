package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.AwsPrincipal;
import dev.iamguard.policy.iam.RoleArn;
import java.util.List;
import java.util.Optional;

/**
 * The registry's short form of a role's trust policy. It stands for a policy that trusts the AWS
 * principals in {@code principals} (used by chains) and the Redshift service, each with an
 * {@code sts:ExternalId} condition listing {@code dbUsers} when present. The Redshift service is
 * trusted when {@code principals} is absent (in every region, or in {@code regions}) or when
 * {@code regions} is given next to it ({@code ["*"]} for every region): a trust that lists only
 * principals is a role later in a chain, as an IAM document with only an {@code AWS} principal is.
 *
 * @param regions regions whose Redshift may assume the role ({@code *} for every one); absent =
 *     every region when no principals are listed, no Redshift trust at all when some are
 * @param dbUsers database user ARNs allowed as {@code sts:ExternalId}, compared exactly; empty =
 *     every user
 * @param principals AWS principals (previous roles of a chain, their account roots) trusted
 */
public record TrustConfig(Optional<List<String>> regions, Optional<List<String>> dbUsers,
    List<AwsPrincipal> principals) {

  /** What a role without a {@code trust} entry gets: Redshift anywhere, any user, no principal. */
  public static final TrustConfig DEFAULT =
      new TrustConfig(Optional.empty(), Optional.empty(), List.of());

  public TrustConfig {
    regions = regions.map(List::copyOf);
    dbUsers = dbUsers.map(List::copyOf);
    principals = List.copyOf(principals);
  }

  /** Whether the Redshift service is trusted at all (in some region). */
  public boolean trustsRedshiftService() {
    return principals.isEmpty() || regions.isPresent();
  }

  /** Whether Redshift in {@code region} is trusted. */
  public boolean trustsRegion(String region) {
    if (!trustsRedshiftService()) {
      return false;
    }
    if (regions.isEmpty()) { // no capturing lambda: this runs for every role of every inspected statement
      return true;
    }
    List<String> listed = regions.get();
    return listed.contains(ANY_REGION) || region != null && listed.contains(region);
  }

  /** {@code regions: ["*"]}: Redshift in every region, written out next to {@code principals}. */
  public static final String ANY_REGION = "*";

  /**
   * Whether a session of {@code dbUserArn} passes the ExternalId condition; {@code null} (user
   * unknown) passes only when no users are listed.
   */
  public boolean trustsDbUser(String dbUserArn) {
    return dbUsers.isEmpty() || dbUserArn != null && dbUsers.get().contains(dbUserArn);
  }

  /** Whether {@code caller} (the previous role of a chain) is trusted. */
  public boolean trustsRole(RoleArn caller) {
    for (AwsPrincipal principal : principals) {
      if (principal.matches(caller)) {
        return true;
      }
    }
    return false;
  }
}
