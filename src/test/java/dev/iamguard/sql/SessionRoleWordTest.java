package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code IAM_ROLE 'SESSION'} (the caller's own identity) is the word in any case of its ASCII
 * letters only. No server here is the oracle (the word is Redshift's, read on the AWS side); a
 * look-alike such as {@code 'ſession'} (long s) or {@code 'SESSıON'} (dotless i) is neither the
 * word nor a role ARN, and Java's {@code equalsIgnoreCase} took it for the word. The class of
 * input: all 128 ASCII case spellings, and each letter replaced in turn by each char beyond ASCII
 * Java's case mapping lands on it (computed, {@link CaseFoldingServerTest#variants}).
 *
 * <p>Before (equalsIgnoreCase) all 10 look-alikes were read as SESSION; reverting isSession alone fails it.
 */
class SessionRoleWordTest {
  private static boolean readAsSession(String written) {
    AuthClause auth = SqlScript.parse("copy t from 's3://b/k/' iam_role '" + written + "'").statements().get(0)
        .command().auth();
    return auth != null && auth.isSession();
  }

  @Test
  void onlyTheAsciiWordInAnyCaseIsSession() {
    List<String> spellings = new ArrayList<>();
    for (int mask = 0; mask < 128; mask++) {
      StringBuilder word = new StringBuilder();
      for (int i = 0; i < 7; i++) {
        char c = "session".charAt(i);
        word.append((mask & 1 << i) != 0 ? Character.toUpperCase(c) : c);
      }
      spellings.add(word.toString());
    }
    List<String> lookalikes = new ArrayList<>(CaseFoldingServerTest.variants("session"));
    lookalikes.addAll(CaseFoldingServerTest.variants("SESSION"));
    assertThat(lookalikes).as("look-alikes").contains("\u017fession", "SESS\u0131ON");

    assertThat(spellings).hasSize(128).allMatch(SessionRoleWordTest::readAsSession);
    List<String> misread = lookalikes.stream().filter(SessionRoleWordTest::readAsSession).toList();
    System.out.printf("SessionRoleWordTest: %d look-alikes, %d read as SESSION%n", lookalikes.size(), misread.size());
    assertThat(misread).as("look-alikes read as SESSION").isEmpty();
    // CATALOG_ROLE 'SESSION' (Resolver, ScriptNeeds) is read by the same word test
    assertThat(spellings).allMatch(AuthClause::isSessionWord);
    assertThat(lookalikes).noneMatch(AuthClause::isSessionWord);
  }
}
