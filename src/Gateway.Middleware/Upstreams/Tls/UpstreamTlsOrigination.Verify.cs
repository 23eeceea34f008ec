using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Upstreams.Tls;

internal sealed partial class UpstreamTlsOrigination
{
    /// <summary>
    /// The upstream's certificate must chain to the roots and carry the expected name: one of
    /// <c>subjectAltNames</c> (DNS or URI SAN), else for ISTIO_MUTUAL a SPIFFE ID of the trust domain, else
    /// the SNI (hostname match, wildcards allowed). The reason of a refusal is kept for the 503 and the log.
    /// </summary>
    private bool Verify(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, string expectedName, UpstreamTlsHandshake handshake)
    {
        if (InsecureSkipVerify)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            handshake.FailureReason = "the upstream presented no certificate";
            return false;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            handshake.FailureReason = DescribeChainError(certificate, chain);
            return false;
        }

        if (SubjectAltNames.Count > 0)
        {
            if (!Tls.SubjectAltNames.ContainsAny(certificate, SubjectAltNames))
            {
                handshake.FailureReason = "certificate name mismatch: expected SAN " + string.Join(" or ", SubjectAltNames) + " not found";
                return false;
            }
        }
        else if (SpiffePrefix is { } prefix)
        {
            if (!Tls.SubjectAltNames.HasUriWithPrefix(certificate, prefix))
            {
                handshake.FailureReason = "certificate name mismatch: expected a URI SAN " + prefix + "... not found";
                return false;
            }
        }
        else if (!certificate.MatchesHostname(expectedName))
        {
            handshake.FailureReason = "certificate name mismatch: the certificate is not valid for '" + expectedName + "'";
            return false;
        }

        return true;
    }

    private string DescribeChainError(X509Certificate2 certificate, X509Chain? chain)
    {
        var flags = X509ChainStatusFlags.NoError;
        if (chain is not null)
        {
            foreach (var status in chain.ChainStatus)
            {
                flags |= status.Status;
            }
        }

        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            var now = TimeProvider.GetUtcNow();
            return certificate.NotBefore.ToUniversalTime() > now.UtcDateTime
                ? "certificate not yet valid"
                : "certificate expired";
        }

        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            return "certificate chain untrusted: unable to get local issuer certificate";
        }

        return "certificate verify failed: " + flags;
    }
}
