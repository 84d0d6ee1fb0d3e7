package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A row of the SVV_IAM_PRIVILEGES export with more fields than the header is refused as one with
 * fewer is: its fields no longer line up with the columns ({@code etl,group,user} in the last two
 * columns read {@code group} as the type and granted the group etl). Commas inside quotes are no
 * field ends.
 */
class PrivilegesCsvFieldCountTest {
  private static final String HEADER = "iam_arn,command_type,identity_id,identity_name,identity_type";
  private static final String A = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(A + ",COPY,101,etl,group,user", "p.csv: line 2: has 6 fields, the header 5"),
        Arguments.of(A + ",COPY,101,etl,user,", "p.csv: line 2: has 6 fields, the header 5"),
        Arguments.of(A + ",COPY,101,etl,user,,,", "p.csv: line 2: has 8 fields, the header 5"),
        Arguments.of(A + ",COPY,101,\"etl\",user,\"x,y\"", "p.csv: line 2: has 6 fields, the header 5"),
        Arguments.of(A + ",COPY,101,etl", "p.csv: line 2: has 4 fields, the header 5"),
        Arguments.of(A + ",COPY", "p.csv: line 2: has 2 fields, the header 5"),
        Arguments.of(A + ",COPY,\"101,etl\",user", "p.csv: line 2: has 4 fields, the header 5"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("rows")
  void aRowOfAnotherFieldCountIsRefusedWithItsLine(String row, String problem) {
    List<String> problems = new ArrayList<>();
    List<ImportedGrant> grants = PrivilegesCsv.read(HEADER + "\n" + row + "\n" + A + ",COPY,102,u2,user\n", "p.csv",
        problems);
    assertThat(problems).containsExactly(problem);
    assertThat(grants).singleElement().satisfies(g -> assertThat(g.to()).containsExactly("u2"));
  }

  static Stream<Arguments> quoted() {
    return Stream.of(
        Arguments.of(A + ",COPY,101,\"etl,group\",user", "etl,group"),
        Arguments.of(A + ",COPY,\"1,0,1\",\"a, b\",\"user\"", "a, b"),
        Arguments.of("\"" + A + "\",\"COPY\",\"101\",\"x,y,z,w\",\"user\"", "x,y,z,w"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("quoted")
  void commasInQuotedFieldsAreNoFieldEnds(String row, String user) {
    List<String> problems = new ArrayList<>();
    List<ImportedGrant> grants = PrivilegesCsv.read(HEADER + "\r\n" + row + "\r\n", "p.csv", problems);
    assertThat(problems).isEmpty();
    assertThat(grants).singleElement().satisfies(g -> assertThat(g.to()).containsExactly(user));
  }
}
