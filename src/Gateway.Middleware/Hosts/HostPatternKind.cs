namespace Gateway.Middleware.Hosts;

internal enum HostPatternKind
{
    Exact,
    Suffix,
    Any,
}
