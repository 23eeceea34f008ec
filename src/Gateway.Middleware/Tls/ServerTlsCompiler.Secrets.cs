using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tls;

internal sealed partial class ServerTlsCompiler
{
    /// <summary><c>&lt;SecretsDirectory&gt;/&lt;namespace&gt;/&lt;name&gt;</c>; an error when there is no such folder.</summary>
    private string? SecretFolder(ServerTlsConfig settings, ServerTlsSecretReference secret, List<string> errors)
    {
        if (string.IsNullOrEmpty(_options.SecretsDirectory))
        {
            errors.Add($"{settings.Where}.{secret.Field}: secret '{secret.Namespace}/{secret.Name}' cannot be resolved: no secrets directory is configured (GatewayTlsOptions.SecretsDirectory, IstioGateway --secrets)");
            return null;
        }

        var folder = Path.GetFullPath(Path.Combine(_options.SecretsDirectory, secret.Namespace, secret.Name));
        if (!Directory.Exists(folder))
        {
            errors.Add($"{settings.Where}.{secret.Field}: secret '{secret.Namespace}/{secret.Name}' not found: no folder '{folder}'");
            return null;
        }

        return folder;
    }

    private static (string, string)? SecretFiles(string folder, string[] certificateNames, string[] keyNames)
    {
        for (var i = 0; i < certificateNames.Length; i++)
        {
            var certificate = Path.Combine(folder, certificateNames[i]);
            var key = Path.Combine(folder, keyNames[i]);
            if (File.Exists(certificate) && File.Exists(key))
            {
                return (certificate, key);
            }
        }

        return null;
    }

    private static string? SecretFile(string folder, params string[] names)
    {
        foreach (var name in names)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
