-- Load the venue table from Company B's bucket through a role chain (seed: RoleA -> RoleB).
copy venue
from 's3://companyb/redshift/venue_pipe_'
iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';
