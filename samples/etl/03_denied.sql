-- Each statement here breaks one rule of the seed document.

-- S3_NOT_PERMITTED: RedshiftCopyUnload may write only under s3://acmedata/redshift/unload/
unload ('select * from users')
to 's3://acmedata/exports/users_'
iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';

-- ROLE_NOT_ATTACHED: a chain must start with an attached role (REGION_NOT_TRUSTED: RoleB trusts no Redshift;
-- ASSUMEROLE_NOT_GRANTED: the grants cover RoleB only inside the RoleA,RoleB chain)
copy venue
from 's3://companyb/redshift/venue_pipe_'
iam_role 'arn:aws:iam::210987654321:role/RoleB';

-- CHAIN_FORMAT: "The entire role chain ... must not contain spaces."
copy venue
from 's3://companyb/redshift/venue_pipe_'
iam_role 'arn:aws:iam::123456789012:role/RoleA, arn:aws:iam::210987654321:role/RoleB';

-- STATIC_KEYS and LONG_TERM_KEYS: long-term access keys ("Not recommended")
copy listing
from 's3://acmedata/redshift/listing/'
access_key_id 'AKIAIOSFODNN7EXAMPLE'
secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
