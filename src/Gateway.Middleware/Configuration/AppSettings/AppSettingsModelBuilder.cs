using Gateway.Middleware.Configuration.Sources;

namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// Binds the gateway model from an <c>IConfiguration</c> section (a <c>Gateway</c> section in
/// appsettings.json) in Istio's vocabulary and the fluent builder's names: <c>Servers</c> and
/// <c>Upstreams</c> keyed by name, <c>Routes</c> an ordered list tried first match first. Every model
/// object records its section path (<c>Gateway:Routes:0</c>), so the model validator's messages point
/// into the file. Each concern maps in its own partial file.
/// </summary>
internal sealed partial class AppSettingsModelBuilder
{
    private readonly List<string> _errors = [];

    private AppSettingsModelBuilder()
    {
    }

    /// <summary>Reads the model; errors are the binding's own (unknown fields, wrong types, missing values), in section order.</summary>
    public static ConfigSourceResult Build(ConfigNode root)
    {
        var builder = new AppSettingsModelBuilder();
        var fields = builder.Object(root, "Servers", "Upstreams", "Routes", "AuthorizationPolicies") ?? ConfigObject.Empty;
        var config = new GatewayConfig(builder.ReadRoutes(fields["Routes"]), builder.ReadUpstreams(fields["Upstreams"]))
        {
            Servers = builder.ReadServers(fields["Servers"]),
            AuthorizationPolicies = builder.ReadAuthorizationPolicies(fields["AuthorizationPolicies"]),
        };
        return new ConfigSourceResult(config, builder._errors, []);
    }
}
