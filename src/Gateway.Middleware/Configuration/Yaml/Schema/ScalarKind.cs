namespace Gateway.Middleware.Configuration.Yaml.Schema;

internal enum ScalarKind
{
    String,
    Int,
    Number,
    Bool,
    IstioDuration,
    GatewayApiDuration,
}
