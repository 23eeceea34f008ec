using System.Security.Cryptography;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// Turns an upstream's effective <see cref="UpstreamTlsConfig"/> into an <see cref="UpstreamTlsOrigination"/>,
/// loading (or reusing) its files. Without TLS settings, <c>https://</c> endpoints get SIMPLE with the system
/// roots and the endpoint host as SNI and expected name.
/// </summary>
internal static class UpstreamTlsCompiler
{
    /// <summary>
    /// <see langword="null"/> for DISABLE. Throws <see cref="GatewayConfigurationException"/> naming the
    /// upstream and field when a file cannot be loaded or ISTIO_MUTUAL has no mesh identity.
    /// </summary>
    public static UpstreamTlsOrigination? Compile(UpstreamConfig upstream, UpstreamTlsConfig? tls, UpstreamTlsServices services)
    {
        if (tls is null)
        {
            return new UpstreamTlsOrigination { Upstream = upstream.Name, TimeProvider = services.TimeProvider };
        }

        if (tls.Mode == UpstreamTlsMode.Disable)
        {
            return null;
        }

        var where = upstream.Source.Length > 0 ? upstream.Source : $"upstream '{upstream.Name}'";
        if (tls.InsecureSkipVerify)
        {
            UpstreamTlsLog.InsecureSkipVerify(services.Logger, upstream.Name);
        }

        if (tls.Mode == UpstreamTlsMode.IstioMutual)
        {
            return CompileIstioMutual(upstream, tls, services, where);
        }

        var roots = tls.TrustedRoots is { Count: > 0 } inMemory ? new TrustedRoots(inMemory)
            : tls.CaCertificatesPath is { } caPath ? new TrustedRoots(Load(where, "tls.caCertificates", () => services.GetBundle(caPath)))
            : null;
        ClientCertificateSource? client = null;
        if (tls.Mode == UpstreamTlsMode.Mutual)
        {
            client = tls.ClientCertificate is { } certificate ? new ClientCertificateSource(certificate)
                : new ClientCertificateSource(Load(where, "tls.clientCertificate/privateKey", () => services.GetCertificate(tls.ClientCertificatePath!, tls.PrivateKeyPath!)));
        }

        return new UpstreamTlsOrigination
        {
            Upstream = upstream.Name,
            Sni = tls.Sni,
            SubjectAltNames = tls.SubjectAltNames,
            InsecureSkipVerify = tls.InsecureSkipVerify,
            Roots = roots,
            ClientCertificate = client,
            TimeProvider = services.TimeProvider,
        };
    }

    private static UpstreamTlsOrigination CompileIstioMutual(UpstreamConfig upstream, UpstreamTlsConfig tls, UpstreamTlsServices services, string where)
    {
        if (services.MeshIdentity is not { CertificateChainPath: { } chain, PrivateKeyPath: { } key, CaCertificatesPath: { } ca } mesh)
        {
            throw new GatewayConfigurationException(
                $"{where}: tls.mode ISTIO_MUTUAL needs the gateway's mesh identity: call ConfigureMeshIdentity(o => ...) with CertificateChainPath, PrivateKeyPath and CaCertificatesPath");
        }

        if (string.IsNullOrWhiteSpace(mesh.TrustDomain))
        {
            throw new GatewayConfigurationException($"{where}: tls.mode ISTIO_MUTUAL: the mesh identity's TrustDomain must not be empty");
        }

        return new UpstreamTlsOrigination
        {
            Upstream = upstream.Name,
            Sni = tls.Sni,
            SubjectAltNames = tls.SubjectAltNames,
            SpiffePrefix = "spiffe://" + mesh.TrustDomain + "/",
            InsecureSkipVerify = tls.InsecureSkipVerify,
            Roots = new TrustedRoots(Load(where, "mesh identity CaCertificatesPath", () => services.GetBundle(ca))),
            ClientCertificate = new ClientCertificateSource(Load(where, "mesh identity CertificateChainPath/PrivateKeyPath", () => services.GetCertificate(chain, key))),
            TimeProvider = services.TimeProvider,
        };
    }

    private static T Load<T>(string where, string field, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or InvalidOperationException)
        {
            throw new GatewayConfigurationException($"{where}: {field}: {ex.Message}", ex);
        }
    }
}
