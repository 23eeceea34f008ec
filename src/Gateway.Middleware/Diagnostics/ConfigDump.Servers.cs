using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Diagnostics;

internal static partial class ConfigDump
{
    private static JsonArray Servers(GatewayConfig? config)
    {
        var array = new JsonArray();
        if (config is null)
        {
            return array;
        }

        var servers = config.Servers.Count == 0 ? [GatewayConfigCompiler.ImplicitServer] : config.Servers;
        foreach (var server in servers)
        {
            array.Add(new JsonObject
            {
                ["name"] = server.Name,
                ["port"] = server.Port,
                ["hosts"] = Strings(server.Hosts),
                ["tls"] = server.Tls ? ServerTls(server.TlsSettings) : null,
                ["httpsRedirect"] = server.HttpsRedirect ? true : null,
                ["source"] = server.Source,
            });
        }

        return array;
    }

    private static JsonObject ServerTls(ServerTlsConfig? tls)
    {
        if (tls is null)
        {
            return new JsonObject { ["mode"] = "simple" };
        }

        return new JsonObject
        {
            ["mode"] = tls.Mode.ToString().ToLowerInvariant(),
            ["credentialName"] = tls.Secret is { } secret ? $"{secret.Namespace}/{secret.Name}" : null,
            ["serverCertificate"] = tls.CertificatePath,
            ["privateKey"] = tls.KeyPath,
            ["caCertificates"] = tls.CaCertificatesPath,
            ["subjectAltNames"] = tls.SubjectAltNames.Count == 0 ? null : Strings(tls.SubjectAltNames),
            ["minProtocolVersion"] = tls.MinProtocolVersion.ToString(),
            ["maxProtocolVersion"] = tls.MaxProtocolVersion.ToString(),
            ["certificate"] = Certificate(tls.Certificate, tls.CertificatePath),
        };
    }

    /// <summary>Subject, SANs and validity of the serving certificate: read from the file for each dump (never the key).</summary>
    private static JsonObject? Certificate(X509Certificate2? inline, string? path)
    {
        try
        {
            X509Certificate2? certificate = inline;
            X509Certificate2Collection? loaded = null;
            if (certificate is null && path is not null && File.Exists(path))
            {
                loaded = [];
                loaded.ImportFromPemFile(path);
                certificate = loaded.Count > 0 ? loaded[0] : null;
            }

            if (certificate is null)
            {
                return null;
            }

            try
            {
                var names = new JsonArray();
                foreach (var name in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()))
                {
                    names.Add(name);
                }

                return new JsonObject
                {
                    ["subject"] = certificate.Subject,
                    ["dnsNames"] = names,
                    ["notBefore"] = certificate.NotBefore.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["notAfter"] = certificate.NotAfter.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["serialNumber"] = certificate.SerialNumber,
                };
            }
            finally
            {
                if (loaded is not null)
                {
                    foreach (var item in loaded)
                    {
                        item.Dispose();
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return new JsonObject { ["error"] = ex.Message };
        }
    }
}
