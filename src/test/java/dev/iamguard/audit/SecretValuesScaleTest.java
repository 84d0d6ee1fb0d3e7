package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SecretValues} masks a text quoting many distinct secrets in time linear in the text (give or
 * take a sort): a target's error message quoting every entry of a large batch. Replacing each value
 * found over the whole text cost the values times the text (16,000 secrets in 640 KB: 5.7 s; the
 * 40,000 here: over a minute). The timeout only guards against that hang; the assertions check the masking,
 * computed by hand: each quoted secret becomes the mask, the rest of the text stays.
 */
class SecretValuesScaleTest {
  private static final int SECRETS = 40_000;

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void manyDistinctSecretsQuotedInOneMessage() {
    List<String> secrets = new ArrayList<>(SECRETS);
    StringBuilder message = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < SECRETS; i++) {
      String secret = String.format("wJalrXUtnFEMI/K7MDENG/bPxRfiCY%010d", i);
      secrets.add(secret);
      message.append("entry ").append(i).append(": secret '").append(secret).append("' refused; ");
      expected.append("entry ").append(i).append(": secret '").append(Redactor.MASK).append("' refused; ");
    }

    String masked = SecretValues.of(secrets, 3).mask(message.toString());

    assertThat(masked).isEqualTo(expected.toString());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void manySecretsOfFiftyLengths() {
    // secret i of length 20 + i % 50: fifty lengths, so fifty rolling-hash passes; none holds another
    // (its number follows the k), so each quoted one is masked whole
    List<String> secrets = new ArrayList<>();
    StringBuilder message = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 30_000; i++) {
      String secret = ("k" + i + "x".repeat(70)).substring(0, 20 + i % 50);
      secrets.add(secret);
      message.append('[').append(secret).append("] ");
      expected.append('[').append(Redactor.MASK).append("] ");
    }
    String masked = SecretValues.of(secrets, 3).mask(message.toString());

    assertThat(masked).isEqualTo(expected.toString());
  }
}
