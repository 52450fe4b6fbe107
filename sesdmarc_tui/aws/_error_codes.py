"""AWS error codes grouped by what they mean to the operator (ClientError ``Error.Code``)."""

from __future__ import annotations

ACCESS_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "Forbidden",
    }
)
EXPIRED = frozenset(
    {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
)
INVALID_CREDS = frozenset(
    {
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "AuthFailure",
        "InvalidSignatureException",
        "IncompleteSignature",
        "MissingAuthenticationToken",
    }
)
THROTTLED = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestThrottled",
        "RequestThrottledException",
        "RequestLimitExceeded",
        "SlowDown",
        "PriorRequestNotComplete",
        "ProvisionedThroughputExceededException",
    }
)
NOT_FOUND = frozenset(
    {
        "NotFoundException",
        "ResourceNotFoundException",
        "NoSuchHostedZone",
        "NoSuchDelegationSet",
        "HostedZoneNotFound",
        "ParentNotFoundException",
        "ChildNotFoundException",
        "OrganizationalUnitNotFoundException",
        "AccountNotFoundException",
        "RootNotFoundException",
        "NoSuchEntity",
    }
)
ALREADY_EXISTS = frozenset(
    {
        "AlreadyExistsException",
        "EntityAlreadyExists",
        "HostedZoneAlreadyExists",
        "DuplicateOrganizationalUnitNameException",
        "DuplicateAccountException",
        "AlreadyInOrganizationException",
    }
)
LIMIT = frozenset(
    {
        "LimitExceededException",
        "LimitExceeded",
        "ServiceQuotaExceededException",
        "TooManyHostedZones",
        "ConstraintViolationException",
    }
)
INVALID_INPUT = frozenset(
    {
        "BadRequestException",
        "ValidationException",
        "ValidationError",
        "InvalidInputException",
        "InvalidInput",
        "InvalidParameterValue",
        "InvalidParameterException",
        "InvalidParameterCombination",
        "MissingParameter",
        "InvalidChangeBatch",
        "InvalidDomainName",
        "InvalidPolicyException",
        "InvalidPolicy",
        "MalformedPolicyDocument",
        "MalformedPolicyDocumentException",
        "PackedPolicyTooLarge",
        "SerializationException",
    }
)
CONFLICT = frozenset(
    {"ConcurrentModificationException", "ConflictException", "ConcurrentModification"}
)
SERVER = frozenset(
    {
        "InternalFailure",
        "InternalError",
        "InternalServerError",
        "InternalServerException",
        "ServiceException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalServiceError",
    }
)
# An endpoint (an emulator, a partition without the service) that does not have the call.
UNSUPPORTED = frozenset(
    {"NotImplemented", "UnknownOperationException", "InvalidAction", "UnsupportedOperation"}
)
