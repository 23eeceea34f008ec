namespace Gateway.Middleware.Authentication;

internal enum JwtTokenLocationKind
{
    Header,
    Param,
    Cookie,
}
