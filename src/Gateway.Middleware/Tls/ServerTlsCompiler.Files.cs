using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tls;

internal sealed partial class ServerTlsCompiler
{
    private Func<CertificateWithChain>? Certificate(ServerTlsConfig settings, List<string> errors)
    {
        if (settings.Certificate is { } inMemory)
        {
            var value = new CertificateWithChain(inMemory, []);
            return () => value;
        }

        string certificatePath, keyPath, field;
        if (settings.CertificatePath is not null && settings.KeyPath is not null)
        {
            (certificatePath, keyPath, field) = (settings.CertificatePath, settings.KeyPath, "serverCertificate");
        }
        else if (settings.Secret is { } secret && SecretFolder(settings, secret, errors) is { } folder)
        {
            var files = SecretFiles(folder, ["tls.crt", "cert"], ["tls.key", "key"]);
            if (files is null)
            {
                errors.Add($"{settings.Where}.{secret.Field}: secret '{secret.Namespace}/{secret.Name}' has no certificate and key: expected tls.crt and tls.key (or cert and key) in '{folder}'");
                return null;
            }

            (certificatePath, keyPath, field) = (files.Value.Item1, files.Value.Item2, secret.Field);
        }
        else
        {
            return null;
        }

        var loaded = Load(settings, field, "certificate", [certificatePath, keyPath], static (files, p) => files.GetCertificate(p[0], p[1]), errors);
        return loaded is null ? null : () => loaded.Value;
    }

    private Func<X509Certificate2Collection>? ClientCas(ServerTlsConfig settings, List<string> errors)
    {
        if (settings.CaCertificates is { Count: > 0 } inMemory)
        {
            return () => inMemory;
        }

        string? path = settings.CaCertificatesPath;
        var field = "caCertificates";
        if (path is null && settings.Secret is { } secret && SecretFolder(settings, secret, errors) is { } folder)
        {
            // The CA may sit beside the certificate or, as Istio allows, in a secret named <name>-cacert.
            path = SecretFile(folder, "ca.crt", "cacert")
                ?? SecretFile(Path.Combine(Path.GetDirectoryName(folder)!, secret.Name + "-cacert"), "ca.crt", "cacert");
            field = secret.Field;
        }

        if (path is null)
        {
            return null;
        }

        var loaded = Load(settings, field, "CA bundle", [path], static (files, p) => files.GetBundle(p[0]), errors);
        return loaded is null ? null : () => loaded.Value;
    }

    private ReloadingFileValue<T>? Load<T>(ServerTlsConfig settings, string field, string what, string[] paths, Func<TlsFileCache, string[], ReloadingFileValue<T>> get, List<string> errors)
        where T : class
    {
        try
        {
            return get(_files, paths);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            errors.Add($"{settings.Where}.{field}: cannot load the {what} from {string.Join(" and ", paths)}: {ex.Message}");
            return null;
        }
    }
}
