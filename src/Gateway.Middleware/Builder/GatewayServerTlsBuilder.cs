using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares how a server terminates TLS (Istio <c>Gateway.servers[].tls</c>): its certificate, the client
/// certificates it requires and the protocol versions. Serve the server's port with
/// <c>ListenOptions.UseGatewayTls()</c>.
/// </summary>
public sealed class GatewayServerTlsBuilder
{
    private readonly List<string> _subjectAltNames = [];
    private ServerTlsMode _mode = ServerTlsMode.Simple;
    private string? _certificatePath;
    private string? _keyPath;
    private X509Certificate2? _certificate;
    private string? _caPath;
    private X509Certificate2Collection? _cas;
    private (string Namespace, string Name)? _secret;
    private SslProtocols _min = SslProtocols.Tls12;
    private SslProtocols _max = SslProtocols.Tls13;

    internal GatewayServerTlsBuilder()
    {
    }

    /// <summary>
    /// <c>serverCertificate</c> and <c>privateKey</c>: PEM files (the certificate file may carry intermediates
    /// after the leaf). They are re-read when their content changes; new connections get the new certificate,
    /// a broken file keeps the last good one.
    /// </summary>
    public GatewayServerTlsBuilder Certificate(string certificatePath, string keyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        ArgumentException.ThrowIfNullOrEmpty(keyPath);
        (_certificatePath, _keyPath) = (Path.GetFullPath(certificatePath), Path.GetFullPath(keyPath));
        return this;
    }

    /// <summary>A certificate with its private key, in memory (not reloaded).</summary>
    public GatewayServerTlsBuilder Certificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificate = certificate;
        return this;
    }

    /// <summary>
    /// <c>credentialName</c>: the certificate, key and optional client CA of a mounted secret,
    /// <c>&lt;GatewayTlsOptions.SecretsDirectory&gt;/&lt;namespace&gt;/&lt;name&gt;/tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>.
    /// </summary>
    public GatewayServerTlsBuilder Credential(string @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _secret = (@namespace, name);
        return this;
    }

    /// <summary>
    /// <c>mode: MUTUAL</c>: every connection must present a client certificate chaining to
    /// <paramref name="caCertificatesPath"/> (a PEM bundle, reloaded like the certificate); others are refused
    /// during the handshake.
    /// </summary>
    public GatewayServerTlsBuilder RequireClientCertificate(string caCertificatesPath)
        => ClientCa(ServerTlsMode.Mutual, caCertificatesPath);

    /// <summary><c>mode: MUTUAL</c> with client CAs in memory.</summary>
    public GatewayServerTlsBuilder RequireClientCertificate(X509Certificate2Collection caCertificates)
        => ClientCa(ServerTlsMode.Mutual, caCertificates);

    /// <summary>
    /// <c>mode: OPTIONAL_MUTUAL</c>: a client certificate is requested; connections without one are accepted,
    /// one that is presented must chain to <paramref name="caCertificatesPath"/>.
    /// </summary>
    public GatewayServerTlsBuilder AllowClientCertificate(string caCertificatesPath)
        => ClientCa(ServerTlsMode.OptionalMutual, caCertificatesPath);

    /// <summary><c>mode: OPTIONAL_MUTUAL</c> with client CAs in memory.</summary>
    public GatewayServerTlsBuilder AllowClientCertificate(X509Certificate2Collection caCertificates)
        => ClientCa(ServerTlsMode.OptionalMutual, caCertificates);

    /// <summary><c>subjectAltNames</c>: a client certificate must carry one of these DNS or URI SANs (exact). Default: any.</summary>
    public GatewayServerTlsBuilder ClientSubjectAltNames(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _subjectAltNames.AddRange(names);
        return this;
    }

    /// <summary>
    /// <c>minProtocolVersion</c> / <c>maxProtocolVersion</c>: <see cref="SslProtocols.Tls12"/> or
    /// <see cref="SslProtocols.Tls13"/>. Default TLS 1.2 to TLS 1.3.
    /// </summary>
    public GatewayServerTlsBuilder Protocols(SslProtocols min, SslProtocols max = SslProtocols.Tls13)
    {
        (_min, _max) = (min, max);
        return this;
    }

    private GatewayServerTlsBuilder ClientCa(ServerTlsMode mode, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        (_mode, _caPath, _cas) = (mode, Path.GetFullPath(path), null);
        return this;
    }

    private GatewayServerTlsBuilder ClientCa(ServerTlsMode mode, X509Certificate2Collection cas)
    {
        ArgumentNullException.ThrowIfNull(cas);
        (_mode, _caPath, _cas) = (mode, null, cas);
        return this;
    }

    internal ServerTlsConfig Build(string serverName) => new()
    {
        Mode = _mode,
        CertificatePath = _certificatePath,
        KeyPath = _keyPath,
        Certificate = _certificate,
        CaCertificatesPath = _caPath,
        CaCertificates = _cas,
        Secret = _secret is { } secret ? new ServerTlsSecretReference(secret.Namespace, secret.Name, "credentialName") : null,
        SubjectAltNames = [.. _subjectAltNames],
        MinProtocolVersion = _min,
        MaxProtocolVersion = _max,
        Where = $"server '{serverName}': tls",
    };
}
