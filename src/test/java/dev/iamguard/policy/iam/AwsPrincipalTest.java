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

  @Test
  void aDocumentMayAlsoNameSessionsUsersAndFederatedPrincipals() {
    AwsPrincipal session = AwsPrincipal.parseInDocument("arn:aws:sts::123456789012:assumed-role/RoleA/etl")
        .principal().get();
    AwsPrincipal user = AwsPrincipal.parseInDocument("arn:aws:iam::123456789012:user/alice").principal().get();
    AwsPrincipal federated = AwsPrincipal.parseInDocument("arn:aws:sts::123456789012:federated-user/bob")
        .principal().get();

    assertThat(session).isInstanceOf(AwsPrincipal.Session.class)
        .hasToString("arn:aws:sts::123456789012:assumed-role/RoleA/etl");
    assertThat(user).isEqualTo(new AwsPrincipal.Other("arn:aws:iam::123456789012:user/alice"))
        .hasToString("arn:aws:iam::123456789012:user/alice");
    assertThat(federated).isInstanceOf(AwsPrincipal.Other.class);
    // none of them is a role calling sts:AssumeRole; a session is perhaps one of its own role
    for (AwsPrincipal p : java.util.List.of(session, user, federated)) {
      assertThat(p.matches(ROLE_A)).as(p.toString()).isFalse();
      assertThat(p.partition()).as(p.toString()).isEmpty();
    }
    AwsPrincipal.Session s = (AwsPrincipal.Session) session;
    assertThat(s.ofRole(ROLE_A)).isTrue();
    assertThat(s.ofRole(RoleArn.of("arn:aws:iam::123456789012:role/rolea"))).isTrue();
    assertThat(s.ofRole(RoleArn.of("arn:aws:iam::123456789012:role/RoleB"))).isFalse();
    assertThat(s.ofRole(RoleArn.of("arn:aws:iam::210987654321:role/RoleA"))).isFalse();
    assertThat(s.ofRole(RoleArn.of("arn:aws-cn:iam::123456789012:role/RoleA"))).isFalse();
    // what parse alone accepts, parseInDocument accepts the same way
    assertThat(AwsPrincipal.parseInDocument("arn:aws:iam::123456789012:root").principal())
        .contains(new AwsPrincipal.Account(Optional.of("aws"), "123456789012"));
  }

  @Test
  void aDocumentPrincipalWithAWildcardABadAccountOrABrokenRoleIsRejected() {
    for (String text : java.util.List.of("arn:aws:iam::123456789012:user/*", "arn:aws:iam::123456789012:user/a?",
        "arn:aws:iam::1234:user/alice", "arn:nope:iam::123456789012:user/alice",
        "arn:aws:sts::1234:assumed-role/RoleA/etl", "arn:nope:sts::123456789012:assumed-role/RoleA/etl",
        "arn:aws:iam::123456789012:role/")) {
      assertThat(AwsPrincipal.parseInDocument(text).principal()).as(text).isEmpty();
      assertThat(AwsPrincipal.parseInDocument(text).problem()).as(text).isPresent();
    }
  }

  @Test
  void thePartitionOfAPrincipal() {
    assertThat(AwsPrincipal.parse("arn:aws-cn:iam::123456789012:root").principal().get().partition())
        .contains("aws-cn");
    assertThat(AwsPrincipal.parse("123456789012").principal().get().partition()).isEmpty();
    assertThat(AwsPrincipal.parse("arn:aws-us-gov:iam::123456789012:role/R").principal().get().partition())
        .contains("aws-us-gov");
    assertThat(AwsPrincipal.parse("*").principal().get().partition()).isEmpty();
    assertThat(new AwsPrincipal.Anyone()).hasToString("*");
  }
}
