namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary><c>Gateway:Servers:{name}</c>: an Istio Gateway <c>servers</c> entry, as <c>AddServer(name, ...)</c>.</summary>
internal sealed partial class AppSettingsModelBuilder
{
    private List<ServerConfig> ReadServers(ConfigNode? node)
    {
        var servers = new List<ServerConfig>();
        foreach (var entry in Map(node))
        {
            var fields = Object(entry, "Port", "Hosts", "Tls") ?? ConfigObject.Empty;
            servers.Add(new ServerConfig
            {
                Name = entry.Key,
                Port = Int(fields["Port"]),

                // Absent: every host, as AddServer. An explicit [] stays empty and the validator refuses it.
                Hosts = Absent(fields["Hosts"]) ? ["*"] : StringList(fields["Hosts"]),
                Tls = Bool(fields["Tls"]) ?? false,
                Source = entry.Path,
            });
        }

        return servers;
    }
}
