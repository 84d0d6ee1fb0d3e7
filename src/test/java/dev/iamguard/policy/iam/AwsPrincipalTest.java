package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsPrincipalTest {

  private static final RoleArn ROLE_A = RoleArn.of("arn:aws:iam::123456789012:role/RoleA");

  @Test
  void parsesEveryKind() {
    assertThat(AwsPrincipal.parse("*").principal()).contains(new AwsPrincipal.Anyone());
    assertThat(AwsPrincipal.parse("123456789012").principal())
        .contains(new AwsPrincipal.Account(Optional.empty(), "123456789012"));
    assertThat(AwsPrincipal.parse("arn:aws:iam::123456789012:root").principal())
        .contains(new AwsPrincipal.Account(Optional.of("aws"), "123456789012"));
    assertThat(AwsPrincipal.parse(ROLE_A.toString()).principal())
        .contains(new AwsPrincipal.Role(ROLE_A));
  }

  @Test
  void explainsRejectedTexts() {
    assertThat(AwsPrincipal.parse("12345678901").problem())
        .contains("account id must be 12 digits, got 11: 12345678901");
    assertThat(AwsPrincipal.parse("arn:aws:iam::1234:root").problem())
        .contains("account id must be 12 digits, got 4: 1234");
    assertThat(AwsPrincipal.parse("arn:aws:iam::role/RoleA").problem()).contains("account id missing");
  }

  @Test
  void matchesByRoleAccountOrAnyone() {
    RoleArn other = RoleArn.of("arn:aws:iam::123456789012:role/Other");
    RoleArn foreign = RoleArn.of("arn:aws:iam::210987654321:role/RoleA");
    AwsPrincipal role = AwsPrincipal.parse("arn:aws:iam::123456789012:role/rolea").principal().get();
    AwsPrincipal root = AwsPrincipal.parse("arn:aws:iam::123456789012:root").principal().get();
    AwsPrincipal chinaRoot = AwsPrincipal.parse("arn:aws-cn:iam::123456789012:root").principal().get();
    AwsPrincipal bare = AwsPrincipal.parse("123456789012").principal().get();

    assertThat(role.matches(ROLE_A)).isTrue();
    assertThat(role.matches(other)).isFalse();
    assertThat(root.matches(other)).isTrue();
    assertThat(root.matches(foreign)).isFalse();
    assertThat(chinaRoot.matches(ROLE_A)).isFalse();
    assertThat(bare.matches(other)).isTrue();
    assertThat(new AwsPrincipal.Anyone().matches(foreign)).isTrue();
    assertThat(root).hasToString("arn:aws:iam::123456789012:root");
  }
}
