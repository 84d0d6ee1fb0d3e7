package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.AuthClause;

/**
 * {@link RuleId#CHAIN_FORMAT}: "The entire role chain is enclosed in single quotes and must not
 * contain spaces." Also an empty element ({@code ,,} or a comma at either end).
 */
final class DenyBadChainFormat implements Rule {
  private static final String REMEDY = "write the chain as one single-quoted string of ARNs joined by "
      + "commas, without spaces: 'arn:aws:iam::<account>:role/<A>,arn:aws:iam::<account>:role/<B>'";

  private static boolean hasWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c > 127 && (Character.isWhitespace(c) || Character.isSpaceChar(c))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void check(Inspection in) {
    AuthClause auth = in.command.auth();
    String text = auth.roleText();
    if (text == null) {
      return;
    }
    if (auth.roleLiterals() > 1) {
      in.add(RuleId.CHAIN_FORMAT, text, "the role chain is split over " + auth.roleLiterals() + " literals", REMEDY);
    } else if (hasWhitespace(text)) {
      in.add(RuleId.CHAIN_FORMAT, text, "the role chain '" + text + "' contains spaces", REMEDY);
    } else if (text.startsWith(",") || text.endsWith(",") || text.contains(",,")) {
      in.add(RuleId.CHAIN_FORMAT, text, "the role chain '" + text + "' has an empty element", REMEDY);
    }
  }
}
