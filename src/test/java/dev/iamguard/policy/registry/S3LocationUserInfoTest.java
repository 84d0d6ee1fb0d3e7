package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An S3 location of the registry written with user info ({@code s3://user:password@bucket/...}) is refused
 * without any part of the user info in the problem: the bucket name it quoted ran to the password's first
 * {@code /} (red-team review: {@code bucket name "***:wJalrXUtnFEMI"} after the masked location, and
 * {@code bucket name "bob:pa"} for {@code bob:pa/ss-SECRETPW}).
 *
 * <p>Generated: user names (access key ids of long-term and temporary keys, a plain name, none) x passwords
 * holding {@code /}, {@code @}, {@code :} at the start, in the middle and at the end (and no password) x every
 * S3-valued key (a role's {@code s3_read}, {@code s3_write}; {@code policy.keys.s3_read}, {@code s3_write}).
 */
class S3LocationUserInfoTest {
  @TempDir
  Path dir;

  private static final List<String> USERS = List.of("AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A", "bobthebuilder", "");
  private static final List<String> PASSWORDS = List.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "pQz9/wQz9-SECRETPW",
      "/leadingSLASHpw", "trailingSLASHpw/", "pQz9@sATword", "@leadingATpw", "pQz9:sCOLONpw", ":leadingCOLONpw",
      "mixQz9/AT9@Qnd:COLONpw", "plainsecretpw", "");
  private static final List<String> KEYS = List.of("role.s3_read", "role.s3_write", "keys.s3_read", "keys.s3_write");

  static Stream<Arguments> locations() {
    List<Arguments> all = new ArrayList<>();
    for (String user : USERS) {
      for (String password : PASSWORDS) {
        if (user.isEmpty() && password.isEmpty()) {
          continue;
        }
        String userInfo = password.isEmpty() ? user : user + ":" + password;
        for (String key : KEYS) {
          all.add(Arguments.of(key, userInfo));
        }
      }
    }
    return all.stream();
  }

  private static String registry(String key, String location) {
    String quoted = "\"" + location + "\"";
    String role = key.startsWith("role.") ? "\n    allow:\n      " + key.substring(5) + ": [" + quoted + "]" : "";
    String keys = key.startsWith("keys.") ? "policy:\n  credentials: any\n  keys:\n    " + key.substring(5) + ": ["
        + quoted + "]\n" : "";
    return "version: 1\nroles:\n  - arn: arn:aws:iam::123456789012:role/R" + role + "\n" + keys;
  }

  /** The parts of user info that must not be shown: each run of 3 or more characters between / @ and :. */
  private static List<String> parts(String userInfo) {
    List<String> parts = new ArrayList<>();
    for (String part : userInfo.split("[/@:]")) {
      if (part.length() >= 3) {
        parts.add(part);
      }
    }
    return parts;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("locations")
  void noPartOfUserInfoIsShown(String key, String userInfo) {
    String location = "s3://" + userInfo + "@acmedata/redshift/";

    RegistryException e = assertThrows(RegistryException.class,
        () -> RegistryLoader.parse(registry(key, location), "r.yaml", dir));

    assertThat(e.problems()).singleElement().asString().contains("user info");
    for (String part : parts(userInfo)) {
      assertThat(e.getMessage()).doesNotContain(part);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherProblems")
  void anotherProblemOfALocationWithAnAtQuotesNoPartOfIt(String location) {
    RegistryException e = assertThrows(RegistryException.class,
        () -> RegistryLoader.parse(registry("role.s3_read", location), "r.yaml", dir));

    assertThat(e.getMessage()).contains("invalid S3 location").doesNotContain("SECRETPW");
  }

  static Stream<String> otherProblems() {
    // a problem of the key, of a bucket after the @, or of the scheme, in a text holding user info or an @
    return Stream.of("s3://acme/a//bob:SECRETPW@x/", "s3://acme/../bob:SECRETPW@x/", "S3://bob:SECRETPW@acme/",
        "https://bob:SECRETPW@acme/", "s3://acme/SECRETPW@x/./y", "s3://ACME/SECRETPW@x/");
  }

  @Test
  void aKeyHoldingAnAtStillLoads() throws RegistryException {
    Registry loaded = RegistryLoader.parse(registry("role.s3_read", "s3://acme/reports@2024/"), "r.yaml", dir);

    assertThat(loaded.roles()).singleElement().satisfies(role -> assertThat(role.allow().orElseThrow().s3Read())
        .containsExactly(new S3Prefix("acme", "reports@2024/")));
  }
}
