package dev.iamguard.sql;

/** How a statement supplies AWS credentials. Names are part of the CLI contract. */
public enum AuthForm {
  /** {@code IAM_ROLE DEFAULT | 'arn[,arn...]'}. */
  IAM_ROLE,
  /** {@code [WITH] CREDENTIALS [AS] 'key=value;...'}. */
  CREDENTIALS,
  /** {@code ACCESS_KEY_ID '..' SECRET_ACCESS_KEY '..' [SESSION_TOKEN '..']}. */
  ACCESS_KEYS,
  /** No authorization clause. */
  NONE
}
