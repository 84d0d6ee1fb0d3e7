package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The secret values of a SQL text, as a database refusing it may quote them. */
class RedactorSecretsOfTest {

  @Test
  void aQuotedValueIsFoundAsWrittenAndReadAndInItsParts() {
    assertThat(Redactor.secretsOf("alter user bob password 'Sup3rSecret'")).containsExactly("Sup3rSecret");
    assertThat(Redactor.secretsOf("alter user bob password 'ab''cdef'"))
        .containsExactly("ab''cdef", "ab'cdef", "cdef"); // "ab" alone is too short to search for
    assertThat(Redactor.secretsOf("alter user bob password 'Sup3rSe'\n'cretPw'"))
        .containsExactly("Sup3rSe'\n'cretPw", "Sup3rSe'\n'cretPw", "Sup3rSe", "cretPw");
    assertThat(Redactor.secretsOf("alter user bob password $tag$Sup3rSecret$tag$")).containsExactly("Sup3rSecret");
  }

  @Test
  void everySecretOfATextIsFoundAndShortOnesAreLeftOut() {
    assertThat(Redactor.secretsOf("copy t from 's3://b/k' credentials "
        + "'aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=wJalrXUtnFEMI'"))
        .containsExactly("AKIAEXAMPLE", "wJalrXUtnFEMI");
    assertThat(Redactor.secretsOf("alter user bob password 'ab'")).isEmpty();
    assertThat(Redactor.secretsOf("select 1")).isEmpty();
    assertThat(Redactor.secretsOf(null)).isEmpty();
  }

  /** The bound: a value of three characters is searched for, one of two is not (it would mask common words). */
  @Test
  void aThreeCharacterSecretIsKept() {
    assertThat(Redactor.secretsOf("alter user bob password 'xyz'")).containsExactly("xyz");
    assertThat(Redactor.secretsOf("alter user bob password 'a''b'")).containsExactly("a''b", "a'b");
  }

  /** A value that opens with a doubled quote is found in its read form and its parts too. */
  @Test
  void aValueOpeningWithAnEscapedQuoteIsFoundAsRead() {
    assertThat(Redactor.secretsOf("alter user bob password '''Sup3rSecret'"))
        .containsExactly("''Sup3rSecret", "'Sup3rSecret", "Sup3rSecret");
  }

  @Test
  void aLongerSecretIsMaskedBeforeAShorterOneItHolds() {
    String message = "refused: abc'defgh";
    assertThat(Redactor.redactMessage(message, List.of("abc", "abc'defgh"))).isEqualTo("refused: ***");
  }
}
