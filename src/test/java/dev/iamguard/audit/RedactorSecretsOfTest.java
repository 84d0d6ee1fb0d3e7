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
        .containsExactly("Sup3rSe'\n'cretPw", "Sup3rSe'\n'cretPw", "Sup3rSe", "cretPw",
            "Sup3rSe'\\000a'cretPw", "Sup3rSe'", "'cretPw"); // and as H2 quotes the line break
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

  /**
   * H2 is sent a value as Redshift reads its escapes, and quotes it with each control character as
   * {@code \XXXX} and each backslash doubled, marking the place of its error inside it with
   * {@code [*]}: each such echo is masked.
   */
  @Test
  void aValueIsMaskedAsH2QuotesWhatItWasSent() {
    List<String> octal = Redactor.secretsOf("alter user bob password 'Sup3r\\0041Secret'");
    assertThat(octal).contains("Sup3r\\00041Secret", "Sup3r", "1Secret");
    assertThat(Redactor.redactMessage("Data conversion error converting \"Sup3r\\00041Secret\"", octal))
        .isEqualTo("Data conversion error converting \"***\"");
    List<String> backslash = Redactor.secretsOf("alter user bob password U&'Sup3r\\\\Secret'");
    assertThat(Redactor.redactMessage("String format error: \"Sup3r\\\\Se[*]cret\"", backslash))
        .isEqualTo("String format error: \"***\"");
    assertThat(Redactor.redactMessage("Syntax error in SQL statement \"select [*]1\"", backslash))
        .as("a mark no secret stands across is kept").isEqualTo("Syntax error in SQL statement \"select [*]1\"");
    List<String> unicode = Redactor.secretsOf("alter user bob password U&'Sup3r\\0041Secret'");
    assertThat(unicode).as("PostgreSQL's reading of U&").contains("Sup3rASecret");
  }

  /**
   * The drivers' {@code Position:} line after a secret keyword the server quoted as the place of its
   * error is no value (it was masked: {@code ****** 40}); a value the statement sent stays masked there.
   */
  @Test
  void thePositionLineAfterAQuotedKeywordIsKept() {
    for (String keyword : List.of("master_symmetric_key", "MASTER_SYMMETRIC_KEY", "password", "secret_access_key",
        "credentials", "session_token")) {
      String message = "ERROR: syntax error at or near \"" + keyword + "\"\n  Position: 40";
      assertThat(Redactor.redactMessage(message)).isEqualTo(message);
      assertThat(Redactor.redactMessage(message + "\n  Where: SQL statement \"alter user bob password 'Sup3rSecret'\""))
          .isEqualTo(message + "\n  Where: SQL statement \"alter user bob password '***'\"");
    }
    assertThat(Redactor.redactMessage("ERROR: x\n  Position: 40", List.of("Position: 40")))
        .isEqualTo("ERROR: x\n  ***");
  }

  @Test
  void aLongerSecretIsMaskedBeforeAShorterOneItHolds() {
    String message = "refused: abc'defgh";
    assertThat(Redactor.redactMessage(message, List.of("abc", "abc'defgh"))).isEqualTo("refused: ***");
  }
}
