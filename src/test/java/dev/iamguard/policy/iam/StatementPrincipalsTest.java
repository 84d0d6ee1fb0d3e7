package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A trust statement's principals are kept as written, each kind named, and an empty one is a problem. */
class StatementPrincipalsTest {

  private static IamPolicy trust(String principal) throws IamPolicyException {
    return IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        + " \"Action\": \"sts:AssumeRole\", \"Principal\": " + principal + "}]}", "trust.json");
  }

  @Test
  void everyKindOfPrincipalIsNamedWithItsKind() throws Exception {
    IamPolicy policy = trust("{\"AWS\": [\"arn:aws:iam::123456789012:root\"], \"Service\": \"Redshift.amazonaws.com\","
        + " \"Federated\": \"cognito-identity.amazonaws.com\", \"CanonicalUser\": [\"79a59df900b949e5\", \"x2\"]}");
    assertThat(policy.statements().get(0).principals()).containsExactly(
        "AWS:arn:aws:iam::123456789012:root", "Service:redshift.amazonaws.com",
        "Federated:cognito-identity.amazonaws.com", "CanonicalUser:79a59df900b949e5", "CanonicalUser:x2");
    assertThat(trust("\"*\"").statements().get(0).principals()).containsExactly("*");
  }

  @Test
  void aPrincipalThatNamesNobodyIsAProblem() {
    assertThatThrownBy(() -> trust("{}")).isInstanceOf(IamPolicyException.class)
        .hasMessageContaining("Principal names no principal");
  }
}
