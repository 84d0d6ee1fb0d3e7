-- denied before it reaches the database: the role is not in the registry
COPY venue FROM 's3://lake/in/venue/' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody';
