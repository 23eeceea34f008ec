using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tls;

internal sealed partial class ServerTlsContext
{
    /// <summary>
    /// MUTUAL: a client certificate chaining to the server's client CA (and carrying one of its
    /// <c>subjectAltNames</c> when set) is required. OPTIONAL_MUTUAL: none is accepted, a given one must pass
    /// the same checks (Envoy's <c>require_client_certificate: false</c> still validates what is presented).
    /// </summary>
    private bool ValidateClient(X509Certificate? presented, X509Chain? received, X509Certificate2Collection clientCas, GatewayPeerIdentity identity, string remote)
    {
        if (presented is null)
        {
            if (Mode == ServerTlsMode.OptionalMutual)
            {
                return true;
            }

            TlsLog.ClientCertificateRejected(_logger, ServerName, remote, "no client certificate");
            return false;
        }

        var certificate = presented as X509Certificate2 ?? new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(clientCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (received is not null)
        {
            // Intermediates the client sent with its certificate.
            chain.ChainPolicy.ExtraStore.AddRange(received.ChainPolicy.ExtraStore);
            foreach (var element in received.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (!chain.Build(certificate))
        {
            var status = chain.ChainStatus.Length > 0 ? chain.ChainStatus[0].StatusInformation.Trim() : "untrusted";
            TlsLog.ClientCertificateRejected(_logger, ServerName, remote, $"certificate '{certificate.Subject}' does not chain to the client CA: {status}");
            return false;
        }

        var names = CertificateNames.SubjectAltNames(certificate);
        if (_subjectAltNames.Length > 0 && !HasAllowedName(names))
        {
            TlsLog.ClientCertificateRejected(_logger, ServerName, remote, $"certificate '{certificate.Subject}' carries none of the subjectAltNames {string.Join(", ", _subjectAltNames)}");
            return false;
        }

        identity.Principal = CertificateNames.SpiffePrincipal(names);
        identity.Namespace = CertificateNames.NamespaceOf(identity.Principal);
        return true;
    }

    private bool HasAllowedName(List<(bool IsUri, string Value)> names)
    {
        foreach (var (isUri, value) in names)
        {
            foreach (var allowed in _subjectAltNames)
            {
                // DNS names compare case-insensitively (RFC 4343), URIs exactly (Envoy's exact SAN matcher).
                if (string.Equals(value, allowed, isUri ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
