namespace Gateway.Middleware.Authorization;

internal enum RbacStringPatternKind
{
    Exact,
    Prefix,
    Suffix,
    Any,
}
