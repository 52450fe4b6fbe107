"""boto3 adapters: sessions, SES v2, Organizations, Route 53, STS, error translation."""
