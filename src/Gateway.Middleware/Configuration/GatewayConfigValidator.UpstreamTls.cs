using System.Security.Cryptography;
using Gateway.Middleware.Tls;

namespace Gateway.Middleware.Configuration;

internal static partial class GatewayConfigValidator
{
    /// <summary>Checks every TLS setting of an upstream (top level, subsets, port level): modes, files, names.</summary>
    private static void ValidateUpstreamTls(UpstreamConfig upstream, string where, List<string> errors)
    {
        if (upstream.Tls is { } tls)
        {
            ValidateTls(tls, $"{where}: tls", errors);
        }

        ValidatePolicyTls(upstream.TrafficPolicy, "trafficPolicy", where, errors);
        for (var i = 0; i < upstream.Subsets.Count; i++)
        {
            ValidatePolicyTls(upstream.Subsets[i].TrafficPolicy, $"subsets[{i}].trafficPolicy", where, errors);
        }
    }

    private static void ValidatePolicyTls(TrafficPolicyConfig? policy, string defaultPath, string where, List<string> errors)
    {
        if (policy is null)
        {
            return;
        }

        var path = policy.SourcePath.Length > 0 ? policy.SourcePath : defaultPath;
        var owner = policy.Source.Length > 0 ? policy.Source : where;
        if (policy.Tls is { } tls)
        {
            ValidateTls(tls, $"{owner}: {path}.tls", errors);
        }

        for (var i = 0; i < policy.PortLevelSettings.Count; i++)
        {
            if (policy.PortLevelSettings[i].Tls is { } portTls)
            {
                ValidateTls(portTls, $"{owner}: {path}.portLevelSettings[{i}].tls", errors);
            }
        }
    }

    /// <summary>Istio's <c>validateTLS</c> rules for ClientTLSSettings, plus the files must load now.</summary>
    private static void ValidateTls(UpstreamTlsConfig tls, string field, List<string> errors)
    {
        if (tls.Sni is { } sni && string.IsNullOrWhiteSpace(sni))
        {
            errors.Add($"{field}.sni must not be empty");
        }

        for (var i = 0; i < tls.SubjectAltNames.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tls.SubjectAltNames[i]))
            {
                errors.Add($"{field}.subjectAltNames[{i}] must not be empty");
            }
        }

        var hasClientFiles = tls.ClientCertificatePath is not null || tls.PrivateKeyPath is not null;
        switch (tls.Mode)
        {
            case UpstreamTlsMode.IstioMutual:
                if (hasClientFiles || tls.ClientCertificate is not null || tls.CaCertificatesPath is not null || tls.TrustedRoots is not null)
                {
                    errors.Add($"{field}: cannot specify client certificates or CA certificate if tls mode is ISTIO_MUTUAL (the mesh identity provides them)");
                }

                return;
            case UpstreamTlsMode.Mutual when tls.ClientCertificate is null:
                if (string.IsNullOrWhiteSpace(tls.ClientCertificatePath))
                {
                    errors.Add($"{field}.clientCertificate: required for tls mode MUTUAL");
                }

                if (string.IsNullOrWhiteSpace(tls.PrivateKeyPath))
                {
                    errors.Add($"{field}.privateKey: required for tls mode MUTUAL");
                }

                break;
            case UpstreamTlsMode.Mutual:
                if (!tls.ClientCertificate.HasPrivateKey)
                {
                    errors.Add($"{field}.clientCertificate: the certificate '{tls.ClientCertificate.Subject}' has no private key");
                }

                break;
            case UpstreamTlsMode.Disable:
                return;
        }

        if (tls.CaCertificatesPath is { } ca)
        {
            CheckFile($"{field}.caCertificates", ca, () => PemFiles.LoadBundle(ca).Count, errors);
        }

        if (tls.Mode == UpstreamTlsMode.Mutual && tls.ClientCertificate is null)
        {
            var certificate = tls.ClientCertificatePath;
            var key = tls.PrivateKeyPath;
            var certificateFound = !string.IsNullOrWhiteSpace(certificate) && CheckFile($"{field}.clientCertificate", certificate, null, errors);
            var keyFound = !string.IsNullOrWhiteSpace(key) && CheckFile($"{field}.privateKey", key, null, errors);
            if (certificateFound && keyFound)
            {
                CheckFile(
                    $"{field}.clientCertificate/privateKey",
                    certificate!,
                    () =>
                    {
                        PemFiles.LoadCertificate(certificate!, key!).Certificate.Dispose();
                        return 0;
                    },
                    errors);
            }
        }
    }

    /// <summary>The file must exist and, when <paramref name="load"/> is given, load; false (with an error) otherwise.</summary>
    private static bool CheckFile(string field, string path, Func<int>? load, List<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"{field}: file '{path}' not found");
            return false;
        }

        try
        {
            load?.Invoke();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or InvalidOperationException)
        {
            errors.Add($"{field}: cannot load '{path}': {ex.Message}");
            return false;
        }
    }
}
